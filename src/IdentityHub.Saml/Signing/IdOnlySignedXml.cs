using System.Security.Cryptography.Xml;
using System.Xml;

namespace IdentityHub.Saml.Signing;

/// <summary>
/// SignedXml resolves a Reference "#x" by looking for attributes named Id, ID or id anywhere in the document and takes the
/// first match, which is how signature-wrapping attacks start. SAML names its identifiers "ID" (saml-core-2.0-os §1.3.4),
/// so only that attribute resolves, and an identifier carried by more than one element resolves to nothing.
/// </summary>
internal sealed class IdOnlySignedXml(XmlDocument document) : SignedXml(document)
{
    public override XmlElement? GetIdElement(XmlDocument? document, string idValue)
    {
        if (document is null || string.IsNullOrEmpty(idValue))
        {
            return null;
        }

        XmlElement? found = null;
        foreach (XmlElement element in document.GetElementsByTagName("*"))
        {
            if (string.Equals(element.GetAttribute("ID"), idValue, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    return null;
                }

                found = element;
            }
        }

        return found;
    }
}
