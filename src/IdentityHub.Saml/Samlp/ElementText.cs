using System.Xml;

namespace IdentityHub.Saml.Samlp;

/// <summary>
/// The text of an element that the schema types as a string (NameID, Issuer, SessionIndex, AuthnContextClassRef):
/// all its text nodes joined, comments skipped. Reading only the first text node is how
/// "user@evil.com&lt;!----&gt;.good.com" became "user@evil.com" in several SAML libraries (exclusive c14n drops
/// comments, so the signature still covers the full value).
/// </summary>
internal static class ElementText
{
    /// <returns>The full text, or null when the element holds a child element where text is expected.</returns>
    public static string? Read(XmlElement element)
    {
        var text = new System.Text.StringBuilder();
        foreach (XmlNode child in element.ChildNodes)
        {
            switch (child.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    text.Append(child.Value);
                    break;
                case XmlNodeType.Comment:
                case XmlNodeType.ProcessingInstruction:
                    break;
                default:
                    return null;
            }
        }

        return text.ToString();
    }
}
