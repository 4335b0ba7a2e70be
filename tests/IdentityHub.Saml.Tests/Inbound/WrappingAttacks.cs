using System.Xml;

namespace IdentityHub.Saml.Tests.Inbound;

/// <summary>
/// The XML Signature Wrapping variants XSW1–XSW8 (Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be",
/// USENIX Security 2012), applied to a validly signed message whose root carries the signature: each builds a changed
/// copy (the Issuer replaced by the attacker's) that is what a careless reader reads, and hides the original signed
/// element where a careless verifier still finds it.
/// </summary>
internal static class WrappingAttacks
{
    public const string EvilIssuer = "https://evil.test/saml";
    private const string Ds = "http://www.w3.org/2000/09/xmldsig#";

    public static XmlDocument Build(XmlDocument signed, int variant)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        XmlElement original = (XmlElement)document.ImportNode(signed.DocumentElement!, deep: true);
        XmlElement signature = Child(original, Ds, "Signature");

        // The changed copy: what the attacker wants read.
        XmlElement evil = (XmlElement)original.CloneNode(deep: true);
        evil.RemoveChild(Child(evil, Ds, "Signature"));
        Issuer(evil).InnerText = EvilIssuer;
        document.AppendChild(evil);

        XmlElement unsignedOriginal = (XmlElement)original.CloneNode(deep: true);
        unsignedOriginal.RemoveChild(Child(unsignedOriginal, Ds, "Signature"));
        XmlElement movedSignature = (XmlElement)signature.CloneNode(deep: true);

        switch (variant)
        {
            case 1:
                // XSW1: the signature moves to the changed copy (new ID); the original, unsigned, goes inside the signature.
                evil.SetAttribute("ID", "_evil");
                evil.InsertAfter(movedSignature, Issuer(evil));
                movedSignature.AppendChild(DsObject(document, unsignedOriginal));
                break;
            case 2:
                // XSW2: as XSW1, the original placed before the signature as a detached sibling.
                evil.SetAttribute("ID", "_evil");
                evil.InsertAfter(movedSignature, Issuer(evil));
                evil.InsertBefore(unsignedOriginal, movedSignature);
                break;
            case 3:
                // XSW3: the changed copy, same ID, comes first; the signed original follows it inside.
                evil.AppendChild(original);
                break;
            case 4:
                // XSW4: the signed original wrapped inside the changed copy (new ID).
                evil.SetAttribute("ID", "_evil");
                evil.AppendChild(original);
                break;
            case 5:
                // XSW5: the changed copy (same ID) takes the signature; the unsigned original is appended elsewhere.
                evil.InsertAfter(movedSignature, Issuer(evil));
                evil.AppendChild(unsignedOriginal);
                break;
            case 6:
                // XSW6: the changed copy (same ID) takes the signature, whose ds:Object holds the signed original.
                evil.InsertAfter(movedSignature, Issuer(evil));
                movedSignature.AppendChild(DsObject(document, original));
                break;
            case 7:
                // XSW7: the signed original under the changed copy's Extensions (any content allowed there); new ID.
                evil.SetAttribute("ID", "_evil");
                XmlElement extensions = document.CreateElement("samlp", "Extensions", "urn:oasis:names:tc:SAML:2.0:protocol");
                extensions.AppendChild(original);
                evil.InsertAfter(extensions, Issuer(evil));
                break;
            case 8:
                // XSW8: the changed copy (same ID) takes the signature; its ds:Object holds the original without its signature.
                evil.InsertAfter(movedSignature, Issuer(evil));
                movedSignature.AppendChild(DsObject(document, unsignedOriginal));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(variant));
        }

        return document;
    }

    public static XmlElement Issuer(XmlElement element) => Child(element, "urn:oasis:names:tc:SAML:2.0:assertion", "Issuer");

    private static XmlElement Child(XmlElement parent, string ns, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().First(e => e.LocalName == localName && e.NamespaceURI == ns);

    private static XmlElement DsObject(XmlDocument document, XmlElement content)
    {
        XmlElement dsObject = document.CreateElement("ds", "Object", Ds);
        dsObject.AppendChild(content);
        return dsObject;
    }
}
