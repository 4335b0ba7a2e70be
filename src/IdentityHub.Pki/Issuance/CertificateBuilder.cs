using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace IdentityHub.Pki;

/// <summary>Signs an RFC 5280 certificate through the HSM seam; never sees a private key.</summary>
internal static class CertificateBuilder
{
    /// <param name="issuer">The issuing CA's certificate, or null for a self-signed root.</param>
    public static X509Certificate Build(CertificateTemplate t, X509Certificate? issuer, ISignatureFactory signer)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(t.Serial);
        generator.SetSubjectDN(t.Subject);
        generator.SetIssuerDN(issuer?.SubjectDN ?? t.Subject);
        generator.SetNotBefore(t.NotBefore);
        generator.SetNotAfter(t.NotAfter);
        generator.SetPublicKey(PublicKeyFactory.CreateKey(t.PublicKey));

        // §4.2.1.9: CAs mark basicConstraints critical; end entities carry cA=FALSE too, so no verifier guesses.
        generator.AddExtension(X509Extensions.BasicConstraints, true,
            t.IsCa ? (t.PathLength is { } len ? new BasicConstraints(len) : new BasicConstraints(true)) : new BasicConstraints(false));
        generator.AddExtension(X509Extensions.KeyUsage, true, t.KeyUsage);
        if (t.ExtendedKeyUsage.Count > 0)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, t.ExtendedKeyUsageCritical,
                CertificateExtensionsFactory.ExtendedKeyUsageOf(t.ExtendedKeyUsage));
        }

        // §4.2.1.2 method 1 (SHA-1 of the subjectPublicKey bits) for SKI; AKI repeats the issuer's SKI (§4.2.1.1).
        var ski = X509ExtensionUtilities.CreateSubjectKeyIdentifier(t.PublicKey);
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, ski);
        var issuerKeyId = issuer is null ? ski.GetKeyIdentifier() : SubjectKeyIdOf(issuer);
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(issuerKeyId));

        if (t.Policies.Count > 0)
        {
            generator.AddExtension(X509Extensions.CertificatePolicies, false, CertificateExtensionsFactory.PoliciesOf(t.Policies));
        }

        if (t.Pointers is { } p)
        {
            generator.AddExtension(X509Extensions.CrlDistributionPoints, false, CertificateExtensionsFactory.CrlDistributionPoint(p.CrlUrl));
            generator.AddExtension(X509Extensions.AuthorityInfoAccess, false, CertificateExtensionsFactory.AuthorityInformationAccess(p.OcspUrl, p.CaIssuersUrl));
        }

        if (t.OcspNoCheck)
        {
            generator.AddExtension(CertificateExtensionsFactory.OcspNoCheckOid, false, DerNull.Instance);
        }

        foreach (var (oid, critical, value) in t.AdditionalExtensions)
        {
            generator.AddExtension(oid, critical, value);
        }

        return generator.Generate(signer);
    }

    public static byte[] SubjectKeyIdOf(X509Certificate certificate)
    {
        var ext = certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
        return ext is null
            ? X509ExtensionUtilities.CreateSubjectKeyIdentifier(certificate.SubjectPublicKeyInfo).GetKeyIdentifier()
            : SubjectKeyIdentifier.GetInstance(Asn1Object.FromByteArray(ext.GetOctets())).GetKeyIdentifier();
    }
}
