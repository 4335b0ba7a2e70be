using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation.Cades;

/// <summary>
/// The signed signing-certificate reference: ESSCertIDv2 (RFC 5035 §4, hash default SHA-256) or ESSCertID (RFC 2634
/// §5.4.1, SHA-1). EN 319 122-1 §5.2.2 requires one for every baseline level: it binds the signer's certificate into
/// the signature so a certificate with the same key cannot be substituted. Null when the signature carries neither.
/// </summary>
internal static class SigningCertificateReference
{
    public static bool? Matches(AttributeTable? signed, X509Certificate certificate)
    {
        var encoded = certificate.GetEncoded();
        if (CmsSignerReader.Single(signed, CmsAttributes.SigningCertificateV2) is { } v2)
        {
            var ids = SigningCertificateV2.GetInstance(v2).GetCerts();
            if (ids.Length == 0)
            {
                return false;
            }

            var first = ids[0]; // the first ESSCertIDv2 is the signer's (RFC 5035 §5.4.1)
            var algorithm = first.HashAlgorithm?.Algorithm ?? NistObjectIdentifiers.IdSha256;
            return HashMatches(algorithm, encoded, first.GetCertHash()) && IssuerSerialMatches(first.IssuerSerial, certificate);
        }

        if (CmsSignerReader.Single(signed, CmsAttributes.SigningCertificate) is { } v1)
        {
            var ids = SigningCertificate.GetInstance(v1).GetCerts();
            return ids.Length > 0
                && HashMatches(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, encoded, ids[0].GetCertHash())
                && IssuerSerialMatches(ids[0].IssuerSerial, certificate);
        }

        return null;
    }

    private static bool HashMatches(DerObjectIdentifier algorithm, byte[] certificate, byte[] expected)
    {
        try
        {
            return DigestUtilities.CalculateDigest(algorithm, certificate).AsSpan().SequenceEqual(expected);
        }
        catch (SecurityUtilityException)
        {
            return false;
        }
    }

    private static bool IssuerSerialMatches(IssuerSerial? issuerSerial, X509Certificate certificate)
    {
        if (issuerSerial is null)
        {
            return true; // issuerSerial is optional; the hash alone identifies the certificate
        }

        if (!issuerSerial.Serial.Value.Equals(certificate.SerialNumber))
        {
            return false;
        }

        return issuerSerial.Issuer.GetNames().Any(n => n.TagNo == GeneralName.DirectoryName && X509Name.GetInstance(n.Name).Equivalent(certificate.IssuerDN));
    }
}
