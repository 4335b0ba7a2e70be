using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace IdentityHub.Signing.Xades;

/// <summary>
/// Exclusive XML Canonicalization 1.0 without comments (W3C xml-exc-c14n) of a whole document or of one element in
/// its document context: the octets every digest and the signature value in a XAdES signature are computed over.
/// </summary>
internal static class ExclusiveCanonicalizer
{
    /// <summary>The canonical form of a document: what Reference URI="" yields (comments removed, XMLDSig §4.3.3.3).</summary>
    public static byte[] Canonicalize(XmlDocument document)
    {
        var transform = new XmlDsigExcC14NTransform(includeComments: false);
        transform.LoadInput(document);
        return Read(transform);
    }

    /// <summary>
    /// The canonical form of <paramref name="element"/>'s subtree as a same-document reference or SignedInfo sees it.
    /// Exclusive c14n renders only the namespaces the subtree visibly uses (xml-exc-c14n §3), so the element is copied
    /// into a document of its own with the namespace declarations in scope carried onto it; those it does not use are
    /// dropped by the canonicalizer, exactly as a verifier working on the whole document drops them.
    /// </summary>
    public static byte[] Canonicalize(XmlElement element)
    {
        var copy = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = (XmlElement)copy.ImportNode(element, deep: true);
        for (var ancestor = element.ParentNode as XmlElement; ancestor is not null; ancestor = ancestor.ParentNode as XmlElement)
        {
            foreach (XmlAttribute attribute in ancestor.Attributes)
            {
                var isDeclaration = attribute.Prefix == "xmlns" || (attribute.Prefix.Length == 0 && attribute.LocalName == "xmlns");
                if (isDeclaration && !root.HasAttribute(attribute.Name))
                {
                    root.SetAttributeNode((XmlAttribute)copy.ImportNode(attribute, deep: true));
                }
            }
        }

        copy.AppendChild(root);
        return Canonicalize(copy);
    }

    public static byte[] Digest(XmlElement element, HashAlgorithmName hash) => Hash(Canonicalize(element), hash);

    public static byte[] Hash(ReadOnlySpan<byte> data, HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => SHA256.HashData(data),
        "SHA384" => SHA384.HashData(data),
        "SHA512" => SHA512.HashData(data),
        _ => throw new CryptographicException($"Digests with {hash.Name} are not supported."),
    };

    public static string DigestMethod(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => XadesNames.Sha256,
        "SHA384" => XadesNames.Sha384,
        "SHA512" => XadesNames.Sha512,
        _ => throw new CryptographicException($"Digests with {hash.Name} are not supported."),
    };

    private static byte[] Read(XmlDsigExcC14NTransform transform)
    {
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }
}
