using System.Globalization;
using System.Xml;

namespace IdentityHub.Saml.Saml;

/// <summary>The prefixes and the one date-time spelling used in every message the hub writes.</summary>
internal static class SamlXml
{
    public const string SamlpPrefix = "samlp";
    public const string SamlPrefix = "saml";
    public const string MdPrefix = "md";
    public const string DsPrefix = "ds";
    public const string XencPrefix = "xenc";
    public const string Xenc11Prefix = "xenc11";
    public const string XsPrefix = "xs";
    public const string XsiPrefix = "xsi";
    public const string XmlSchema = "http://www.w3.org/2001/XMLSchema";
    public const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>saml-core-2.0-os §1.3.3: xs:dateTime in UTC ("Z"), without a time-zone offset.</summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static XmlDocument NewDocument() => new() { PreserveWhitespace = true, XmlResolver = null };

    public static XmlElement Saml(XmlDocument document, string localName) =>
        document.CreateElement(SamlPrefix, localName, SamlNames.Assertion);

    public static XmlElement Samlp(XmlDocument document, string localName) =>
        document.CreateElement(SamlpPrefix, localName, SamlNames.Protocol);

    public static XmlElement AppendSaml(XmlElement parent, string localName, string? text = null) =>
        Append(parent, Saml(parent.OwnerDocument, localName), text);

    public static XmlElement AppendSamlp(XmlElement parent, string localName) =>
        Append(parent, Samlp(parent.OwnerDocument, localName), null);

    public static XmlElement Append(XmlElement parent, XmlElement child, string? text)
    {
        if (text is not null)
        {
            child.AppendChild(parent.OwnerDocument.CreateTextNode(text));
        }

        parent.AppendChild(child);
        return child;
    }

    public static void Declare(XmlElement element, string prefix, string namespaceUri) =>
        DeclareQualified(element, "xmlns:" + prefix, namespaceUri);

    /// <summary>Adds a namespace declaration by its attribute name ("xmlns" or "xmlns:p").</summary>
    public static void DeclareQualified(XmlElement element, string attributeName, string namespaceUri)
    {
        var declaration = element.OwnerDocument.CreateAttribute(attributeName, XmlnsNamespace);
        declaration.Value = namespaceUri;
        element.SetAttributeNode(declaration);
    }

    public static void SetIfNotNull(XmlElement element, string name, string? value)
    {
        if (value is not null)
        {
            element.SetAttribute(name, value);
        }
    }
}
