using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Metadata;

/// <summary>Reading md: elements and xs: values of an untrusted metadata document.</summary>
internal static class MetadataXml
{
    public static IEnumerable<XmlElement> Children(XmlElement parent, string localName, string namespaceUri = SamlNames.Metadata) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == namespaceUri);

    public static IEnumerable<XmlElement> Descendants(XmlNode root, string localName) =>
        root.SelectNodes("//*")!.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == SamlNames.Metadata);

    /// <summary>xs:boolean (XML Schema Part 2 §3.2.2): true, false, 1, 0; absent means the schema default.</summary>
    public static (bool Value, string? Problem) Boolean(XmlElement element, string name, bool absent)
    {
        var text = element.GetAttribute(name).Trim();
        return text switch
        {
            "" when !element.HasAttribute(name) => (absent, null),
            "true" or "1" => (true, null),
            "false" or "0" => (false, null),
            _ => (false, $"The {element.LocalName} attribute {name}=\"{text}\" is not an xs:boolean."),
        };
    }

    /// <summary>The text of an element, with the whitespace around it gone (base64 and URI content).</summary>
    public static string Text(XmlElement element) => element.InnerText.Trim();
}
