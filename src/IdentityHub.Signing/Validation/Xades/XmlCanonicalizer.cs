using System.Security.Cryptography.Xml;
using System.Xml;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// Canonicalizes a whole document or one element in its context with .NET's C14N implementations. An element is first
/// copied into a document of its own carrying its ancestors' namespace declarations (and, for inclusive C14N, the
/// inherited xml:lang / xml:space), which is what a document subset whose apex is that element renders
/// (Canonical XML 1.0 §2.4; Exclusive C14N §3 renders only the visibly used ones). Canonical XML 1.1 is rendered as 1.0:
/// the two differ only for inherited xml:id and xml:base, which are not carried over here.
/// </summary>
internal static class XmlCanonicalizer
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <param name="algorithm">One of the C14N algorithm URIs (<see cref="XmlDsig.IsCanonicalization"/>).</param>
    /// <param name="node">An <see cref="XmlDocument"/> or an <see cref="XmlElement"/>.</param>
    /// <param name="inclusivePrefixes">Exclusive C14N's InclusiveNamespaces PrefixList, if any.</param>
    /// <param name="keepComments">False when the node-set excludes comments whatever the algorithm says (URI "" and "#id", XMLDSig §4.4.3.3).</param>
    public static byte[] Canonicalize(XmlNode node, string algorithm, string? inclusivePrefixes = null, bool keepComments = true)
    {
        bool exclusive = algorithm is XmlDsig.ExcC14N or XmlDsig.ExcC14NWithComments;
        bool comments = keepComments && algorithm is XmlDsig.C14NWithComments or XmlDsig.C14N11WithComments or XmlDsig.ExcC14NWithComments;
        if (!XmlDsig.IsCanonicalization(algorithm))
        {
            throw new NotSupportedException($"not a canonicalization algorithm: {algorithm}");
        }

        XmlDocument input = node as XmlDocument ?? Isolate((XmlElement)node, inheritXmlAttributes: !exclusive);
        Transform transform = exclusive
            ? new XmlDsigExcC14NTransform(comments, inclusivePrefixes)
            : new XmlDsigC14NTransform(comments);
        transform.Resolver = null;
        transform.LoadInput(input);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var copy = new MemoryStream();
        output.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A copy of the element as the root of a new document, with the namespace context it had in place.</summary>
    public static XmlDocument Isolate(XmlElement element, bool inheritXmlAttributes)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = (XmlElement)document.ImportNode(element, deep: true);
        document.AppendChild(root);
        for (XmlNode? ancestor = element.ParentNode; ancestor is XmlElement parent; ancestor = ancestor.ParentNode)
        {
            foreach (XmlAttribute attribute in parent.Attributes)
            {
                bool inherited = attribute.NamespaceURI == XmlnsNamespace
                    || (inheritXmlAttributes && attribute.NamespaceURI == XmlNamespace && attribute.LocalName is "lang" or "space");
                if (inherited && root.Attributes[attribute.Name] is null)
                {
                    root.Attributes.Append((XmlAttribute)document.ImportNode(attribute, deep: true));
                }
            }
        }

        return document;
    }
}
