using System.Security.Cryptography;
using System.Xml;
using IdentityHub.Signing.Containers;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation.Xades;

namespace IdentityHub.Signing.Validation.Asic;

/// <summary>One asic:DataObjectReference: a file of the container and its digest.</summary>
internal sealed record AsicDataObjectReference(string Uri, HashAlgorithmName? Digest, byte[]? DigestValue);

/// <summary>
/// An ASiCManifest or ASiCArchiveManifest (EN 319 162-1 §A.4 and §A.5): the signature or time-stamp it belongs to
/// (asic:SigReference) and the files it covers, each with a digest. The CMS signature or time-stamp signs the manifest's
/// bytes, so each file is covered only through these digests, which <see cref="Check"/> recomputes.
/// </summary>
internal sealed record AsicManifest(string Name, byte[] Bytes, string? SigReference, IReadOnlyList<AsicDataObjectReference> References)
{
    // XmlNamespaceManager and its NameTable are not safe to share between concurrent validations: one per use.
    private static XmlNamespaceManager Namespaces => XadesProperties.CreateNamespaces();

    public static AsicManifest? TryRead(ZipContainerEntry entry, long maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(entry);
        XmlDocument document;
        try
        {
            document = SafeXml.Load(entry.Content, maxCharacters);
        }
        catch (DocumentRejectedException)
        {
            // An unreadable manifest covers nothing; the signature or time-stamp naming it then has no manifest.
            return null;
        }

        if (document.DocumentElement is not { LocalName: "ASiCManifest", NamespaceURI: XmlDsig.AsicNamespace } root)
        {
            return null;
        }

        string? sigReference = root.SelectSingleNode("asic:SigReference/@URI", Namespaces)?.Value;
        List<AsicDataObjectReference> references = [.. root.SelectNodes("asic:DataObjectReference", Namespaces)!.OfType<XmlElement>().Select(r =>
            new AsicDataObjectReference(
                r.GetAttribute("URI"),
                XmlDsigAlgorithms.Digest(r.SelectSingleNode("ds:DigestMethod/@Algorithm", Namespaces)?.Value),
                XadesProperties.Base64(r.SelectSingleNode("ds:DigestValue", Namespaces)?.InnerText)))];
        return new AsicManifest(entry.Name, entry.Content.ToArray(), sigReference is null ? null : Uri.UnescapeDataString(sigReference), references);
    }

    /// <summary>Every reference found in the container with a matching digest; the problems otherwise (none found is a problem too).</summary>
    public IReadOnlyList<string> Check(ZipContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var problems = new List<string>();
        if (References.Count == 0)
        {
            problems.Add($"{Name} references no file");
        }

        foreach (AsicDataObjectReference reference in References)
        {
            ZipContainerEntry? entry = container.Find(Uri.UnescapeDataString(reference.Uri));
            if (entry is null || entry.IsDirectory)
            {
                problems.Add($"{Name}: \"{reference.Uri}\" is not in the container");
            }
            else if (reference.Digest is null || reference.DigestValue is null)
            {
                problems.Add($"{Name}: \"{reference.Uri}\" has an unsupported or missing digest");
            }
            else if (!CryptographicOperations.FixedTimeEquals(XmlDsigAlgorithms.Hash(reference.Digest.Value, entry.Content.Span), reference.DigestValue))
            {
                problems.Add($"{Name}: digest of \"{reference.Uri}\" does not match");
            }
        }

        return problems;
    }
}
