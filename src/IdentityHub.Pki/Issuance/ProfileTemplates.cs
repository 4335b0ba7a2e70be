using IdentityHub.Pki.Hierarchy;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;

namespace IdentityHub.Pki;

/// <summary>Turns a CA or profile definition into a <see cref="CertificateTemplate"/> with the hub's URLs.</summary>
internal sealed class ProfileTemplates(HierarchyDefinition hierarchy, string publicBaseUrl)
{
    private readonly string _base = publicBaseUrl.TrimEnd('/');

    public HierarchyDefinition Hierarchy => hierarchy;

    public RevocationPointers PointersFor(string issuerName) =>
        new($"{_base}/pki/crl/{issuerName}.crl", $"{_base}/pki/ocsp", $"{_base}/pki/ca/{issuerName}.crt");

    public X509Name OrganisationName(string commonName) =>
        DistinguishedNames.ForOrganisationUnit(hierarchy.Country, hierarchy.Organization, hierarchy.OrganizationIdentifier, commonName);

    public CertificateTemplate ForAuthority(AuthorityDefinition ca, SubjectPublicKeyInfo publicKey, DateTime now) => new()
    {
        Subject = OrganisationName(ca.CommonName),
        PublicKey = publicKey,
        Serial = SerialNumbers.NewSerial(),
        NotBefore = now,
        NotAfter = now.AddYears(ca.ValidityYears),
        IsCa = true,
        PathLength = ca.PathLength,
        // RFC 5280 §4.2.1.3: a CA key signs certificates and CRLs; ETSI EN 319 412-2 asks for nothing more.
        KeyUsage = new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign),
        Policies = ca.Policies,
        Pointers = ca.Issuer is null ? null : PointersFor(ca.Issuer),
    };

    public CertificateTemplate ForProfile(ProfileDefinition profile, string issuerName, X509Name subject, SubjectPublicKeyInfo publicKey, DateTime now) => new()
    {
        Subject = subject,
        PublicKey = publicKey,
        Serial = SerialNumbers.NewSerial(),
        NotBefore = now,
        NotAfter = now.AddDays(profile.ValidityDays),
        KeyUsage = CertificateExtensionsFactory.KeyUsageOf(profile.KeyUsage),
        ExtendedKeyUsage = profile.ExtendedKeyUsage,
        ExtendedKeyUsageCritical = profile.ExtendedKeyUsageCritical,
        OcspNoCheck = profile.OcspNoCheck,
        Policies = profile.Policies,
        Pointers = profile.RevocationPointers ? PointersFor(issuerName) : null,
        AdditionalExtensions = profile.QcStatements.Count == 0
            ? []
            : [(QcStatements.ExtensionOid, false, QcStatements.Build(profile.QcStatements, profile.Pds))],
    };

    /// <summary>Validity never outlives the issuing CA (RFC 5280 §6.1.3 would reject such a path later anyway).</summary>
    public static DateTime ClampToIssuer(DateTime notAfter, Org.BouncyCastle.X509.X509Certificate issuer) =>
        notAfter > issuer.NotAfter ? issuer.NotAfter : notAfter;
}
