using System.Xml;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// The time-stamps of XAdES unsigned signature properties and the data each one covers: SignatureTimeStamp over the
/// canonical ds:SignatureValue element (EN 319 132-1 §5.3), ArchiveTimeStamp over the signature and everything before it
/// (§5.5.2). Each is canonicalized with the ds:CanonicalizationMethod the time-stamp element names, Canonical XML 1.0
/// when it names none (§4.5).
/// </summary>
internal sealed class XadesTimestamps(XmlElement signature, XmlElement signedInfo, XmlElement signatureValue, ReferenceProcessor references, XadesProperties properties)
{
    // XmlNamespaceManager and its NameTable are not safe to share between concurrent validations: one per use.
    private static XmlNamespaceManager Namespaces => XadesProperties.CreateNamespaces();

    public IReadOnlyList<TimestampEvidence> SignatureTimestamps()
    {
        var found = new List<TimestampEvidence>();
        foreach (XmlElement stamp in properties.UnsignedSignatureProperties.Where(e => IsXades(e, "SignatureTimeStamp")))
        {
            string algorithm = Canonicalization(stamp);
            byte[]? covered = XmlDsig.IsCanonicalization(algorithm) ? XmlCanonicalizer.Canonicalize(signatureValue, algorithm) : null;
            found.AddRange(Tokens(stamp).Select(token => covered is null
                ? new TimestampEvidence(token, false, $"unsupported canonicalization {algorithm}")
                : TimeStampTokens.Evaluate(token, covered, "SignatureTimeStamp imprint does not match the ds:SignatureValue")));
        }

        return found;
    }

    public IReadOnlyList<TimestampEvidence> ArchiveTimestamps()
    {
        var found = new List<TimestampEvidence>();
        IReadOnlyList<XmlElement> unsigned = properties.UnsignedSignatureProperties;
        for (int i = 0; i < unsigned.Count; i++)
        {
            if (unsigned[i].LocalName != "ArchiveTimeStamp" || unsigned[i].NamespaceURI is not (XmlDsig.Xades141Namespace or XmlDsig.XadesNamespace))
            {
                continue;
            }

            string algorithm = Canonicalization(unsigned[i]);
            string? problem = null;
            byte[]? covered = XmlDsig.IsCanonicalization(algorithm) ? ArchiveInput(algorithm, unsigned.Take(i), out problem) : null;
            problem ??= covered is null ? $"unsupported canonicalization {algorithm}" : null;
            found.AddRange(Tokens(unsigned[i]).Select(token => covered is null
                ? new TimestampEvidence(token, false, problem)
                : TimeStampTokens.Evaluate(token, covered, "ArchiveTimeStamp imprint does not match the signature and its validation data")));
        }

        return found;
    }

    /// <summary>
    /// EN 319 132-1 §5.5.2.2: the processed references in SignedInfo order, SignedInfo, SignatureValue, KeyInfo, the
    /// unsigned signature properties before this time-stamp in their order, then every ds:Object except the one holding
    /// the QualifyingProperties; each node canonicalized and the results concatenated.
    /// </summary>
    private byte[]? ArchiveInput(string algorithm, IEnumerable<XmlElement> earlierProperties, out string? problem)
    {
        problem = null;
        using var input = new MemoryStream();
        foreach (XmlElement reference in signedInfo.SelectNodes("ds:Reference", Namespaces)!.OfType<XmlElement>())
        {
            Dereferenced data = references.Dereference(reference, algorithm);
            if (data.Octets is null)
            {
                problem = $"archive time-stamp input: {data.Problem}";
                return null;
            }

            input.Write(data.Octets);
        }

        IEnumerable<XmlElement> nodes = new[] { signedInfo, signatureValue, signature.SelectSingleNode("ds:KeyInfo", Namespaces) as XmlElement }
            .OfType<XmlElement>()
            .Concat(earlierProperties)
            .Concat(signature.SelectNodes("ds:Object", Namespaces)!.OfType<XmlElement>()
                .Where(o => properties.QualifyingProperties is null || properties.QualifyingProperties.ParentNode != o));
        foreach (XmlElement node in nodes)
        {
            input.Write(XmlCanonicalizer.Canonicalize(node, algorithm));
        }

        return input.ToArray();
    }

    private static string Canonicalization(XmlElement stamp) =>
        (stamp.SelectSingleNode("ds:CanonicalizationMethod/@Algorithm", Namespaces)?.Value) ?? XmlDsig.C14N;

    private static IEnumerable<byte[]> Tokens(XmlElement stamp) =>
        stamp.SelectNodes("xades:EncapsulatedTimeStamp", Namespaces)!.OfType<XmlElement>()
            .Select(e => XadesProperties.Base64(e.InnerText) ?? []);

    private static bool IsXades(XmlElement element, string name) => element.LocalName == name && element.NamespaceURI == XmlDsig.XadesNamespace;
}
