using System.Xml;

namespace IdentityHub.Signing.Xades;

/// <summary>Creates ds: and xades: elements in one document, so the signature's markup reads as its schema does.</summary>
internal sealed class XmlBuilder(XmlDocument document)
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    public XmlDocument Document { get; } = document;

    public XmlElement Ds(string name, params XmlNode[] children) =>
        Element(XadesNames.DsPrefix, name, XadesNames.DsNamespace, children);

    public XmlElement Xades(string name, params XmlNode[] children) =>
        Element(XadesNames.XadesPrefix, name, XadesNames.XadesNamespace, children);

    public XmlElement DsText(string name, string text) => Ds(name, Document.CreateTextNode(text));

    public XmlElement XadesText(string name, string text) => Xades(name, Document.CreateTextNode(text));

    public XmlElement Element(string prefix, string name, string namespaceUri, params XmlNode[] children)
    {
        var element = Document.CreateElement(prefix, name, namespaceUri);
        foreach (var child in children)
        {
            element.AppendChild(child);
        }

        return element;
    }

    /// <summary>
    /// Declares a prefix on an element as an attribute in the DOM, so the canonicalizer sees the declaration where the
    /// serialised document will have it (xml-exc-c14n §3 renders it where it is first visibly used).
    /// </summary>
    public static XmlElement Declare(XmlElement element, string prefix, string namespaceUri)
    {
        var declaration = element.OwnerDocument.CreateAttribute("xmlns", prefix, XmlnsNamespace);
        declaration.Value = namespaceUri;
        element.Attributes.Append(declaration);
        return element;
    }

    public static XmlElement With(XmlElement element, string attribute, string value)
    {
        element.SetAttribute(attribute, value);
        return element;
    }
}
