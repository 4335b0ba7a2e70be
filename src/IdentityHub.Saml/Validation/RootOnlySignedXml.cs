using System.Security.Cryptography.Xml;
using System.Xml;

namespace IdentityHub.Saml.Validation;

/// <summary>
/// SignedXml that resolves a same-document Reference only to the one element carrying that ID, and remembers which
/// element it resolved, so the verifier can check it is the message's root (XSW defence: what was verified is what is read).
/// </summary>
internal sealed class RootOnlySignedXml(XmlDocument document) : SignedXml(document)
{
    public XmlElement? ResolvedElement { get; private set; }

    public override XmlElement? GetIdElement(XmlDocument? document, string idValue)
    {
        if (document?.DocumentElement is null)
        {
            return null;
        }

        XmlElement? found = null;
        foreach (XmlElement element in SafeXml.Elements(document.DocumentElement))
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (SafeXml.IsIdAttribute(attribute) && attribute.Value == idValue)
                {
                    if (found is not null && !ReferenceEquals(found, element))
                    {
                        // Two candidates: refuse to choose (saml-core-2.0-os §1.3.4 requires unique IDs).
                        ResolvedElement = null;
                        return null;
                    }

                    found = element;
                }
            }
        }

        ResolvedElement = found;
        return found;
    }
}
