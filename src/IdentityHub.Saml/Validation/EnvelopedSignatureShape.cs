using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Validation;

/// <summary>
/// The only XML signature shape accepted on a message (saml-core-2.0-os §5.4): one enveloped ds:Signature, a direct
/// child of the root, whose SignedInfo has one Reference to "#" + the root's ID, exclusive c14n, the transforms
/// enveloped-signature then exclusive c14n, and allow-listed algorithms. Checked before SignedXml runs, so SignedXml
/// never sees an XPath or XSLT transform, an external URI or a second Reference.
/// </summary>
internal static class EnvelopedSignatureShape
{
    public static (XmlElement? Signature, SamlProblem? Problem) Check(XmlElement root)
    {
        XmlNodeList signatures = root.OwnerDocument.GetElementsByTagName("Signature", SamlNames.XmlDsig);
        if (signatures.Count == 0)
        {
            return (null, null);
        }

        // §5.4.1: the signature envelops the signed element, which here must be the message itself.
        if (signatures.Count != 1 || !ReferenceEquals(signatures[0]!.ParentNode, root))
        {
            return Wrapping("The message must carry exactly one signature, directly in its root element.");
        }

        var signature = (XmlElement)signatures[0]!;
        string? rootId = root.HasAttribute("ID") ? root.GetAttribute("ID") : null;
        if (string.IsNullOrEmpty(rootId))
        {
            return Wrapping("A signed message must have an ID for its signature to name.");
        }

        // The Reference is resolved by ID: the root's ID must name nothing else (XSW3, XSW5, XSW6, XSW8 reuse it).
        if (SafeXml.Elements(root).Count(e => e.Attributes.Cast<XmlAttribute>().Any(a => SafeXml.IsIdAttribute(a) && a.Value == rootId)) != 1)
        {
            return Wrapping("The message's ID must name the root element only.");
        }

        // Exclusive c14n without comments leaves comments out of the digest, so a comment in a signed message is
        // content nobody signed; text readers skip comments anyway, but a signed SAML message has no use for one.
        if (root.SelectSingleNode("descendant::comment()") is not null)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.UnsignedContent, "A signed message must not contain comments, which its signature does not cover."));
        }

        List<XmlElement> parts = ChildElements(signature);
        if (parts.Count is < 2 or > 3 || !Is(parts[0], "SignedInfo") || !Is(parts[1], "SignatureValue") || (parts.Count == 3 && !Is(parts[2], "KeyInfo")))
        {
            // No ds:Object: it is where XSW1/XSW6/XSW8 hide the original signed element.
            return Wrapping("The signature must hold SignedInfo, SignatureValue and at most KeyInfo.");
        }

        List<XmlElement> signedInfo = ChildElements(parts[0]);
        if (signedInfo.Count != 3 || !Is(signedInfo[0], "CanonicalizationMethod") || !Is(signedInfo[1], "SignatureMethod") || !Is(signedInfo[2], "Reference"))
        {
            // §5.4.2: exactly one Reference.
            return Wrapping("SignedInfo must hold one CanonicalizationMethod, one SignatureMethod and exactly one Reference.");
        }

        if (Algorithm(signedInfo[0]) != SamlAlgorithms.ExclusiveC14n || !OnlyInclusiveNamespaces(signedInfo[0]))
        {
            return NotAllowed("The canonicalization method must be exclusive c14n without comments.");
        }

        if (!SamlAlgorithms.AcceptedSignatureMethods.Contains(Algorithm(signedInfo[1]) ?? string.Empty) || ChildElements(signedInfo[1]).Count != 0)
        {
            return NotAllowed("The signature method is not one the hub accepts.");
        }

        return CheckReference(signedInfo[2], rootId) is { } problem ? (null, problem) : (signature, null);
    }

    private static SamlProblem? CheckReference(XmlElement reference, string rootId)
    {
        // §5.4.2: the Reference's URI is "#" + the ID of the element it signs; "" (the whole document), another
        // element or an external URI are what wrapping attacks rely on.
        if (reference.GetAttributeNode("URI")?.Value != "#" + rootId)
        {
            return Wrapping("The signature's Reference must name the message's own ID.").Problem;
        }

        List<XmlElement> children = ChildElements(reference);
        if (children.Count != 3 || !Is(children[0], "Transforms") || !Is(children[1], "DigestMethod") || !Is(children[2], "DigestValue"))
        {
            return NotAllowed("The Reference must hold Transforms, DigestMethod and DigestValue.").Problem;
        }

        // §5.4.4: enveloped-signature, then exclusive c14n (with an optional InclusiveNamespaces PrefixList), nothing else.
        List<XmlElement> transforms = ChildElements(children[0]);
        if (transforms.Count != 2 || transforms.Any(t => !Is(t, "Transform"))
            || Algorithm(transforms[0]) != SamlAlgorithms.EnvelopedSignature || ChildElements(transforms[0]).Count != 0
            || Algorithm(transforms[1]) != SamlAlgorithms.ExclusiveC14n || !OnlyInclusiveNamespaces(transforms[1]))
        {
            return NotAllowed("The transforms must be enveloped-signature then exclusive c14n.").Problem;
        }

        return SamlAlgorithms.AcceptedDigestMethods.Contains(Algorithm(children[1]) ?? string.Empty) && ChildElements(children[1]).Count == 0
            ? null
            : NotAllowed("The digest method is not one the hub accepts.").Problem;
    }

    private static bool OnlyInclusiveNamespaces(XmlElement method)
    {
        List<XmlElement> children = ChildElements(method);
        return children.Count == 0
            || (children.Count == 1 && children[0].LocalName == "InclusiveNamespaces" && children[0].NamespaceURI == SamlAlgorithms.ExclusiveC14n
                && ChildElements(children[0]).Count == 0);
    }

    private static string? Algorithm(XmlElement element) => element.GetAttributeNode("Algorithm")?.Value;

    private static bool Is(XmlElement element, string localName) => element.LocalName == localName && element.NamespaceURI == SamlNames.XmlDsig;

    internal static List<XmlElement> ChildElements(XmlElement parent) => parent.ChildNodes.OfType<XmlElement>().ToList();

    private static (XmlElement? Signature, SamlProblem? Problem) Wrapping(string detail) => (null, SamlProblem.Requester(SamlProblemCodes.SignatureWrapping, detail));

    private static (XmlElement? Signature, SamlProblem? Problem) NotAllowed(string detail) => (null, SamlProblem.Requester(SamlProblemCodes.AlgorithmNotAllowed, detail));
}
