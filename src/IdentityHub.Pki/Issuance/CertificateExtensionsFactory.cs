using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;

namespace IdentityHub.Pki;

/// <summary>Builds the RFC 5280 §4.2 extensions that the profiles in pki/hierarchy.json name.</summary>
internal static class CertificateExtensionsFactory
{
    public static int KeyUsageBit(string name) => name switch
    {
        "digitalSignature" => KeyUsage.DigitalSignature,
        "nonRepudiation" or "contentCommitment" => KeyUsage.NonRepudiation,
        "keyEncipherment" => KeyUsage.KeyEncipherment,
        "dataEncipherment" => KeyUsage.DataEncipherment,
        "keyAgreement" => KeyUsage.KeyAgreement,
        "keyCertSign" => KeyUsage.KeyCertSign,
        "cRLSign" => KeyUsage.CrlSign,
        _ => throw new PkiConfigurationException($"Unknown key usage '{name}' in pki/hierarchy.json (RFC 5280 §4.2.1.3 names)."),
    };

    public static DerObjectIdentifier ExtendedKeyUsageOid(string name) => name switch
    {
        "serverAuth" => KeyPurposeID.id_kp_serverAuth,
        "clientAuth" => KeyPurposeID.id_kp_clientAuth,
        "codeSigning" => KeyPurposeID.id_kp_codeSigning,
        "emailProtection" => KeyPurposeID.id_kp_emailProtection,
        "timeStamping" => KeyPurposeID.id_kp_timeStamping,
        "ocspSigning" => KeyPurposeID.id_kp_OCSPSigning,
        _ => throw new PkiConfigurationException($"Unknown extended key usage '{name}' in pki/hierarchy.json (RFC 5280 §4.2.1.12 names)."),
    };

    public static KeyUsage KeyUsageOf(IEnumerable<string> names) =>
        new(names.Aggregate(0, (bits, name) => bits | KeyUsageBit(name)));

    public static ExtendedKeyUsage ExtendedKeyUsageOf(IEnumerable<string> names) =>
        new(names.Select(n => KeyPurposeID.GetInstance(ExtendedKeyUsageOid(n))).ToArray());

    public static CertificatePolicies PoliciesOf(IEnumerable<string> oids) =>
        new(oids.Select(o => new PolicyInformation(new DerObjectIdentifier(o))).ToArray());

    /// <summary>RFC 5280 §4.2.1.13: where relying parties fetch the issuer's CRL.</summary>
    public static CrlDistPoint CrlDistributionPoint(string crlUrl) =>
        new([
            new DistributionPoint(
                new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, crlUrl))),
                null,
                null),
        ]);

    /// <summary>RFC 5280 §4.2.2.1: OCSP responder and caIssuers locations.</summary>
    public static AuthorityInformationAccess AuthorityInformationAccess(string ocspUrl, string caIssuersUrl) =>
        new([
            new AccessDescription(AccessDescription.IdADOcsp, new GeneralName(GeneralName.UniformResourceIdentifier, ocspUrl)),
            new AccessDescription(AccessDescription.IdADCAIssuers, new GeneralName(GeneralName.UniformResourceIdentifier, caIssuersUrl)),
        ]);

    /// <summary>RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck, value NULL.</summary>
    public static DerObjectIdentifier OcspNoCheckOid => OcspObjectIdentifiers.PkixOcspNocheck;
}
