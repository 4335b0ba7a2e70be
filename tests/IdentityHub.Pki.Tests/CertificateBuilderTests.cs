using IdentityHub.Hsm;
using IdentityHub.Pki.Hierarchy;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace IdentityHub.Pki.Tests;

public sealed class CertificateBuilderTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_root_is_self_signed_with_CA_key_usage_and_matching_key_identifiers()
    {
        using var key = new SoftwareSigningKey();
        var templates = new ProfileTemplates(HierarchyLoader.Load("pki/hierarchy.json"), "http://hub.example");
        var root = templates.Hierarchy.Authorities[0];

        var certificate = CertificateBuilder.Build(templates.ForAuthority(root, SubjectPublicKeyInfo.GetInstance(key.SubjectPublicKeyInfo.ToArray()), Now), null, key.ToSignatureFactory());

        certificate.Verify(key.PublicKeyParameter());
        Assert.Equal(certificate.SubjectDN, certificate.IssuerDN);
        Assert.Equal(1, certificate.GetBasicConstraints());
        Assert.True(certificate.GetKeyUsage()[5] && certificate.GetKeyUsage()[6]); // keyCertSign, cRLSign
        Assert.False(certificate.GetKeyUsage()[0]);
        Assert.Null(certificate.GetExtensionValue(X509Extensions.CrlDistributionPoints));
        var ski = SubjectKeyIdentifier.GetInstance(Asn1Object.FromByteArray(certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier).GetOctets()));
        var aki = AuthorityKeyIdentifier.GetInstance(Asn1Object.FromByteArray(certificate.GetExtensionValue(X509Extensions.AuthorityKeyIdentifier).GetOctets()));
        Assert.Equal(ski.GetKeyIdentifier(), aki.KeyIdentifier.GetOctets());
        Assert.Equal(Now.AddYears(20), certificate.NotAfter);
    }

    [Fact]
    public void An_end_entity_points_at_its_issuer_and_cannot_outlive_it()
    {
        using var caKey = new SoftwareSigningKey();
        using var leafKey = new SoftwareSigningKey();
        var templates = new ProfileTemplates(HierarchyLoader.Load("pki/hierarchy.json"), "http://hub.example/");
        var caTemplate = templates.ForAuthority(templates.Hierarchy.Authorities[0], SubjectPublicKeyInfo.GetInstance(caKey.SubjectPublicKeyInfo.ToArray()), Now)
            with { NotAfter = Now.AddDays(10) };
        var ca = CertificateBuilder.Build(caTemplate, null, caKey.ToSignatureFactory());
        var profile = templates.Hierarchy.Profiles["tsa"];
        var template = templates.ForProfile(profile, "services", new X509Name("CN=TSU"), SubjectPublicKeyInfo.GetInstance(leafKey.SubjectPublicKeyInfo.ToArray()), Now);
        template = template with { NotAfter = ProfileTemplates.ClampToIssuer(template.NotAfter, ca) };

        var leaf = CertificateBuilder.Build(template, ca, caKey.ToSignatureFactory());

        leaf.Verify(caKey.PublicKeyParameter());
        Assert.Equal(ca.NotAfter, leaf.NotAfter);
        Assert.Equal(-1, leaf.GetBasicConstraints());
        Assert.Contains(X509Extensions.ExtendedKeyUsage.Id, leaf.GetCriticalExtensionOids());
        var aia = AuthorityInformationAccess.GetInstance(Asn1Object.FromByteArray(leaf.GetExtensionValue(X509Extensions.AuthorityInfoAccess).GetOctets()));
        Assert.Equal(["http://hub.example/pki/ocsp", "http://hub.example/pki/ca/services.crt"],
            aia.GetAccessDescriptions().Select(d => d.AccessLocation.Name.ToString()));
    }
}
