using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// Turns one ds:Signature into <see cref="SignatureEvidence"/>: reference validation and signature validation as
/// XMLDSig §3.2 orders them, then what XAdES adds (EN 319 132-1): the signed SigningCertificate(V2) reference, which must
/// itself be covered by a ds:Reference that resolves to the very SignedProperties element read here, the claimed
/// SigningTime, time-stamps and validation data.
/// </summary>
internal sealed class XadesSignatureReader(XmlDocument document, IReadOnlyList<SignedFile> detached, long maxCharacters)
{
    /// <summary>
    /// Most ds:Reference elements read per signature. Each may canonicalize (and copy) the whole document, so the work is
    /// references × document size; real signatures carry a handful, ASiC-E ones one per file (bounded by the container limit).
    /// </summary>
    public const int MaxReferences = 1000;

    // XmlNamespaceManager and its NameTable are not safe to share between concurrent validations: one per use.
    private static XmlNamespaceManager Namespaces => XadesProperties.CreateNamespaces();
    private readonly IdIndex _ids = new(document);

    public SignatureEvidence Read(XmlElement signature, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(signature);
        string id = signature.GetAttribute("Id") is { Length: > 0 } value ? value : $"signature-{ordinal}";
        var evidence = new SignatureEvidence { Id = id, Format = SignatureFormat.Xades, ClaimedLevel = SignatureLevel.None };

        // XMLDSig §4.1: SignedInfo then SignatureValue, each exactly once, as the signature's first element children.
        List<XmlElement> children = [.. signature.ChildNodes.OfType<XmlElement>()];
        if (children.Count < 2 || !Is(children[0], "SignedInfo") || !Is(children[1], "SignatureValue")
            || signature.SelectNodes("ds:SignedInfo | ds:SignatureValue", Namespaces)!.Count != 2)
        {
            return evidence with { FormatProblem = "ds:Signature must start with exactly one ds:SignedInfo and one ds:SignatureValue" };
        }

        XmlElement signedInfo = children[0];
        XmlElement signatureValue = children[1];
        string canonicalization = signedInfo.SelectSingleNode("ds:CanonicalizationMethod/@Algorithm", Namespaces)?.Value ?? string.Empty;
        string signatureMethodUri = signedInfo.SelectSingleNode("ds:SignatureMethod/@Algorithm", Namespaces)?.Value ?? string.Empty;
        XmlDsigAlgorithms.SignatureMethod? method = XmlDsigAlgorithms.Signature(signatureMethodUri);
        evidence = evidence with { SignatureAlgorithm = signatureMethodUri };

        // Only canonicalization algorithms may canonicalize SignedInfo: anything else (XSLT …) would let the signed
        // bytes differ from the element the references are read from.
        if (!XmlDsig.IsCanonicalization(canonicalization))
        {
            return evidence with { FormatProblem = $"unsupported CanonicalizationMethod {canonicalization}" };
        }

        if (method is null)
        {
            return evidence with { FormatProblem = $"unsupported SignatureMethod {signatureMethodUri}" };
        }

        var processor = new ReferenceProcessor(document, signature, _ids, detached, maxCharacters);
        List<XmlElement> referenceElements = [.. signedInfo.SelectNodes("ds:Reference", Namespaces)!.OfType<XmlElement>()];
        if (referenceElements.Count > MaxReferences)
        {
            return evidence with { FormatProblem = $"ds:SignedInfo has {referenceElements.Count} references, more than {MaxReferences}" };
        }

        List<ReferenceOutcome> outcomes = [.. referenceElements.Select(processor.Verify)];
        if (outcomes.Count == 0)
        {
            return evidence with { FormatProblem = "ds:SignedInfo has no ds:Reference" };
        }

        string? unsupported = outcomes.FirstOrDefault(o => o.Unsupported)?.Problem;
        bool dataIntact = outcomes.TrueForAll(o => o.Found && o.Intact);
        string? dataProblem = dataIntact ? null : string.Join("; ", outcomes.Where(o => o.Problem is not null).Select(o => o.Problem));

        XadesProperties properties = XadesProperties.Read(signature);
        bool propertiesSigned = properties.SignedProperties is not null
            && outcomes.Exists(o => o.Found && o.Target == properties.SignedProperties);
        ValidationValues values = ValidationValues.Read(signature, properties);

        byte[] signedInfoOctets = XmlCanonicalizer.Canonicalize(signedInfo, canonicalization,
            signedInfo.SelectSingleNode("ds:CanonicalizationMethod/ec:InclusiveNamespaces/@PrefixList", ExcNamespaces())?.Value);
        byte[] signatureBytes = XadesProperties.Base64(signatureValue.InnerText) ?? [];
        SignerSelection signer = SigningCertificateSelector.Select(
            values.Candidates,
            propertiesSigned ? properties.SigningCertificate : [],
            referenceExpected: properties.SignedProperties is not null || ClaimsXades(signature, referenceElements),
            certificate => method.Verify(certificate, signedInfoOctets, signatureBytes));

        var stamps = new XadesTimestamps(signature, signedInfo, signatureValue, processor, properties);
        IReadOnlyList<TimestampEvidence> signatureTimestamps = stamps.SignatureTimestamps();
        IReadOnlyList<TimestampEvidence> archiveTimestamps = stamps.ArchiveTimestamps();
        var certificates = values.Certificates
            .Concat(signatureTimestamps.Concat(archiveTimestamps).SelectMany(t => TimeStampTokens.Certificates(t.Token)))
            .DistinctBy(Convert.ToBase64String)
            .ToList();

        return evidence with
        {
            FormatProblem = unsupported ?? properties.Problem,
            SigningCertificate = signer.Certificate?.RawData,
            SigningCertificateReferenceMatches = signer.ReferenceMatches,
            SignatureIntact = signer.SignatureIntact,
            DataIntact = unsupported is null ? dataIntact : null,
            DataProblem = dataProblem,
            DigestAlgorithm = referenceElements[0].SelectSingleNode("ds:DigestMethod/@Algorithm", Namespaces)?.Value,
            ClaimedSigningTime = propertiesSigned ? properties.SigningTime : null,
            Certificates = certificates,
            OcspResponses = values.OcspResponses,
            Crls = values.Crls,
            SignatureTimestamps = signatureTimestamps,
            ArchiveTimestamps = archiveTimestamps,
            SignedObjects = [.. outcomes.Select(o => o.Label)],
            ClaimedLevel = Level(propertiesSigned && properties.SigningCertificate.Count > 0, signatureTimestamps.Count > 0, values, archiveTimestamps.Count > 0),
        };
    }

    /// <summary>
    /// EN 319 132-1 §6.3: B-B has signed SigningCertificate(V2) (in signed properties), B-T adds a SignatureTimeStamp, B-LT
    /// adds CertificateValues and RevocationValues, B-LTA an ArchiveTimeStamp. Whether the values are complete is the
    /// assessor's to decide; this is only what the elements claim.
    /// </summary>
    private static SignatureLevel Level(bool baseline, bool timestamped, ValidationValues values, bool archived) =>
        !baseline ? SignatureLevel.None
        : !timestamped ? SignatureLevel.BaselineB
        : !values.HasCertificateValues || !values.HasRevocationValues ? SignatureLevel.BaselineT
        : !archived ? SignatureLevel.BaselineLT
        : SignatureLevel.BaselineLTA;

    /// <summary>A signature that carries QualifyingProperties or references SignedProperties is XAdES, so its signing-certificate reference is expected.</summary>
    private static bool ClaimsXades(XmlElement signature, List<XmlElement> references) =>
        signature.SelectSingleNode("ds:Object/xades:QualifyingProperties", Namespaces) is not null
        || references.Exists(r => r.GetAttribute("Type") == XmlDsig.SignedPropertiesType);

    private static bool Is(XmlElement element, string localName) => element.LocalName == localName && element.NamespaceURI == XmlDsig.Namespace;

    private static XmlNamespaceManager ExcNamespaces()
    {
        var manager = new XmlNamespaceManager(new NameTable());
        manager.AddNamespace("ds", XmlDsig.Namespace);
        manager.AddNamespace("ec", XmlDsig.ExcC14N);
        return manager;
    }
}
