using IdentityHub.Hsm;
using IdentityHub.Pki.Hierarchy;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace IdentityHub.Pki.Tests;

/// <summary>The ETSI EN 319 412-2 natural-person profiles of the shipped hierarchy, parsed back with BouncyCastle.</summary>
public sealed class CitizenProfileTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    private static X509Certificate Issue(string profileName)
    {
        using var caKey = new SoftwareSigningKey();
        using var leafKey = new SoftwareSigningKey();
        var templates = new ProfileTemplates(HierarchyLoader.Load("pki/hierarchy.json"), "http://hub.example");
        var ca = CertificateBuilder.Build(templates.ForAuthority(templates.Hierarchy.Authorities[0],
            SubjectPublicKeyInfo.GetInstance(caKey.SubjectPublicKeyInfo.ToArray()), Now), null, caKey.ToSignatureFactory());
        var subject = DistinguishedNames.ForNaturalPerson("XA", "Žofia Anna", "Ņikolajeva-Öström", "48293170656");
        var template = templates.ForProfile(templates.Hierarchy.Profiles[profileName], "citizen-sign", subject,
            SubjectPublicKeyInfo.GetInstance(leafKey.SubjectPublicKeyInfo.ToArray()), Now);
        return CertificateBuilder.Build(template, ca, caKey.ToSignatureFactory());
    }

    private static List<string> StatementIds(X509Certificate certificate)
    {
        var value = certificate.GetExtensionValue(new DerObjectIdentifier("1.3.6.1.5.5.7.1.3"));
        Assert.NotNull(value);
        var statements = (Asn1Sequence)Asn1Object.FromByteArray(value.GetOctets());
        return statements.Cast<Asn1Sequence>().Select(s => ((DerObjectIdentifier)s[0]).Id).ToList();
    }

    [Fact]
    public void The_natural_person_subject_keeps_diacritics_in_UTF8_and_carries_the_PNO_semantics_identifier()
    {
        var name = DistinguishedNames.ForNaturalPerson("XA", "Žofia Anna", "Ņikolajeva-Öström", "48293170656");
        var der = (Asn1Sequence)Asn1Object.FromByteArray(name.GetEncoded());
        var attributes = der.Cast<Asn1Set>().Select(set => (Asn1Sequence)set[0]).ToDictionary(a => ((DerObjectIdentifier)a[0]).Id, a => a[1]);

        Assert.Equal("Žofia Anna", Assert.IsType<DerUtf8String>(attributes[X509Name.GivenName.Id]).GetString());
        Assert.Equal("Ņikolajeva-Öström", Assert.IsType<DerUtf8String>(attributes[X509Name.Surname.Id]).GetString());
        Assert.Equal("PNOXA-48293170656", Assert.IsType<DerPrintableString>(attributes[X509Name.SerialNumber.Id]).GetString());
        Assert.Equal("XA", Assert.IsType<DerPrintableString>(attributes[X509Name.C.Id]).GetString());
        Assert.Equal("ŅIKOLAJEVA-ÖSTRÖM,ŽOFIA ANNA", ((DerUtf8String)attributes[X509Name.CN.Id]).GetString());
        Assert.Throws<ArgumentException>(() => DistinguishedNames.ForNaturalPerson("XA", " ", "Tamm", "48293170656"));
        var longName = DistinguishedNames.ForNaturalPerson("XA", "Wolfeschlegelsteinhausenbergerdorff Maximilian", "Ņikolajeva-Öström-Brzęczyszczykiewicz", "48293170656");
        var commonName = longName.GetValueList(X509Name.CN)[0]!.ToString()!;
        Assert.Equal(64, commonName.Length); // RFC 5280 ub-common-name
        Assert.StartsWith("ŅIKOLAJEVA-ÖSTRÖM-BRZĘCZYSZCZYKIEWICZ,WOLFE", commonName, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signature_certificate_is_qualified_non_repudiation_only_with_the_ETSI_statements_and_QCP_n_qscd()
    {
        var certificate = Issue("citizen-signature");

        var usage = certificate.GetKeyUsage();
        Assert.True(usage[1]); // nonRepudiation (contentCommitment)
        Assert.Equal(1, usage.Count(bit => bit));
        Assert.Equal(["0.4.0.1862.1.1", "0.4.0.1862.1.4", "0.4.0.1862.1.6", "0.4.0.1862.1.5", "1.3.6.1.5.5.7.11.2"], StatementIds(certificate));
        var qcType = (Asn1Sequence)Asn1Object.FromByteArray(certificate.GetExtensionValue(new DerObjectIdentifier("1.3.6.1.5.5.7.1.3")).GetOctets());
        Assert.Equal("0.4.0.1862.1.6.1", ((DerObjectIdentifier)((Asn1Sequence)((Asn1Sequence)qcType[2])[1])[0]).Id);
        var policies = CertificatePolicies.GetInstance(Asn1Object.FromByteArray(certificate.GetExtensionValue(X509Extensions.CertificatePolicies).GetOctets()));
        Assert.Equal(["0.4.0.194112.1.2"], policies.GetPolicyInformation().Select(p => p.PolicyIdentifier.Id));
        Assert.DoesNotContain(X509Extensions.QCStatements.Id, certificate.GetCriticalExtensionOids());
    }

    [Fact]
    public void The_authentication_certificate_signs_only_for_client_authentication()
    {
        var certificate = Issue("citizen-authentication");

        var usage = certificate.GetKeyUsage();
        Assert.True(usage[0]); // digitalSignature
        Assert.Equal(1, usage.Count(bit => bit));
        Assert.Equal([KeyPurposeID.id_kp_clientAuth.Id], certificate.GetExtendedKeyUsage().Select(o => o.Id));
        Assert.Equal(["1.3.6.1.5.5.7.11.2"], StatementIds(certificate));
        Assert.Equal(Now.AddDays(1826), certificate.NotAfter);
    }
}
