using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Samlp;

/// <summary>The attributes and Issuer every request and response shares (saml-core-2.0-os §3.2.1 RequestAbstractType, §3.2.2 StatusResponseType).</summary>
internal sealed record MessageHeader(string Id, DateTimeOffset IssueInstant, string? Destination, string Issuer)
{
    public const string EntityFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";

    public static (MessageHeader? Header, SamlProblem? Problem) Read(XmlElement root, string expectedName, DateTimeOffset now, TimeSpan skew)
    {
        // The element is the one the binding delivered and the signature covered; its name and namespace say what it is.
        if (root.LocalName != expectedName || root.NamespaceURI != SamlNames.Protocol)
        {
            return Fail(SamlProblemCodes.Schema, $"The message is not a samlp:{expectedName}.");
        }

        // §3.2.1: Version "2.0"; a different major version is VersionMismatch.
        if (root.GetAttributeNode("Version")?.Value != SamlNames.Version)
        {
            return (null, new SamlProblem(SamlStatus.VersionMismatch, SamlProblemCodes.Version, "Only SAML version 2.0 is supported."));
        }

        // §1.3.4: ID is xs:ID, an NCName.
        string? id = root.GetAttributeNode("ID")?.Value;
        if (string.IsNullOrEmpty(id) || !IsNcName(id))
        {
            return Fail(SamlProblemCodes.Schema, "The message ID is missing or not an NCName.");
        }

        if (SamlTime.Parse(root.GetAttributeNode("IssueInstant")?.Value) is not { } issueInstant)
        {
            return Fail(SamlProblemCodes.Schema, "IssueInstant is missing or not a UTC xs:dateTime.");
        }

        if (issueInstant < now - skew)
        {
            return Fail(SamlProblemCodes.Expired, "The message was issued too long ago.");
        }

        if (issueInstant > now + skew)
        {
            return Fail(SamlProblemCodes.NotYetValid, "The message is dated in the future.");
        }

        (string? issuer, SamlProblem? problem) = ReadIssuer(root);
        return issuer is null ? (null, problem) : (new MessageHeader(id, issueInstant, root.GetAttributeNode("Destination")?.Value, issuer), null);
    }

    /// <summary>§3.2.1: saml:Issuer comes first; the profiles (saml-profiles-2.0-os §4.1.4.1, §4.4.4.1) require it and its Format, if any, to be entity.</summary>
    private static (string? Issuer, SamlProblem? Problem) ReadIssuer(XmlElement root)
    {
        XmlElement? first = root.ChildNodes.OfType<XmlElement>().FirstOrDefault();
        if (first is null || first.LocalName != "Issuer" || first.NamespaceURI != SamlNames.Assertion)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.Schema, "The message has no saml:Issuer as its first element."));
        }

        string? format = first.GetAttributeNode("Format")?.Value;
        if (format is not null && format != EntityFormat)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.Schema, "The Issuer's Format must be the entity format."));
        }

        string? issuer = ElementText.Read(first);
        return string.IsNullOrWhiteSpace(issuer)
            ? (null, SamlProblem.Requester(SamlProblemCodes.Schema, "The Issuer is empty or not plain text."))
            : (issuer, null);
    }

    internal static bool IsNcName(string value)
    {
        try
        {
            return XmlConvert.VerifyNCName(value) == value;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static (MessageHeader?, SamlProblem?) Fail(string code, string detail) => (null, SamlProblem.Requester(code, detail));
}
