using IdentityHub.Pki.Hierarchy;
using Org.BouncyCastle.Asn1;

namespace IdentityHub.Pki;

/// <summary>
/// The qcStatements extension (RFC 3739 §3.2.6, OID 1.3.6.1.5.5.7.1.3) with the ETSI EN 319 412-5 statements that make a
/// certificate an EU qualified certificate for electronic signatures on a qualified signature creation device.
/// </summary>
internal static class QcStatements
{
    public static readonly DerObjectIdentifier ExtensionOid = new("1.3.6.1.5.5.7.1.3");

    /// <summary>ETSI EN 319 412-5 §4.2.1: issued as an EU qualified certificate.</summary>
    public static readonly DerObjectIdentifier QcCompliance = new("0.4.0.1862.1.1");

    /// <summary>§4.2.2: the private key resides in a qualified signature creation device.</summary>
    public static readonly DerObjectIdentifier QcSscd = new("0.4.0.1862.1.4");

    /// <summary>§4.2.3: certificate type; esign = for electronic signatures (0.4.0.1862.1.6.1).</summary>
    public static readonly DerObjectIdentifier QcType = new("0.4.0.1862.1.6");
    public static readonly DerObjectIdentifier QcTypeEsign = new("0.4.0.1862.1.6.1");

    /// <summary>§4.3.4: where the PKI disclosure statement is.</summary>
    public static readonly DerObjectIdentifier QcPds = new("0.4.0.1862.1.5");

    /// <summary>RFC 3739 id-qcs-pkixQCSyntax-v2 carrying ETSI EN 319 412-1 §5.1.3 id-etsi-qcs-semanticsId-Natural.</summary>
    public static readonly DerObjectIdentifier PkixQcSyntaxV2 = new("1.3.6.1.5.5.7.11.2");
    public static readonly DerObjectIdentifier SemanticsIdNatural = new("0.4.0.194121.1.1");

    public static readonly IReadOnlyList<string> Known = ["QcCompliance", "QcSSCD", "QcType-esign", "QcPDS", "SemanticsId-Natural"];

    public static DerSequence Build(IEnumerable<string> names, IReadOnlyList<PdsLocationDefinition> pds)
    {
        var statements = new List<Asn1Encodable>();
        foreach (var name in names)
        {
            statements.Add(name switch
            {
                "QcCompliance" => new DerSequence(QcCompliance),
                "QcSSCD" => new DerSequence(QcSscd),
                "QcType-esign" => new DerSequence(QcType, new DerSequence(QcTypeEsign)),
                "QcPDS" => new DerSequence(QcPds, new DerSequence(pds.Select(p =>
                    (Asn1Encodable)new DerSequence(new DerIA5String(p.Url, true), new DerPrintableString(p.Language, true))).ToArray())),
                "SemanticsId-Natural" => new DerSequence(PkixQcSyntaxV2, new DerSequence(SemanticsIdNatural)),
                _ => throw new PkiConfigurationException($"Unknown QC statement '{name}' in pki/hierarchy.json; known: {string.Join(", ", Known)}."),
            });
        }

        return new DerSequence(statements.ToArray());
    }
}
