using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Samlp;

/// <summary>Reads a samlp:LogoutResponse (saml-core-2.0-os §3.7.2, StatusResponseType §3.2.2) from the verified root only.</summary>
internal static class LogoutResponseReader
{
    public static (LogoutResponseMessage? Response, SamlProblem? Problem) Read(XmlElement root, DateTimeOffset now, TimeSpan skew)
    {
        ArgumentNullException.ThrowIfNull(root);
        try
        {
            return ReadCore(root, now, skew);
        }
        catch (Exception ex) when (ex is XmlException or FormatException)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.Schema, "The LogoutResponse could not be read."));
        }
    }

    private static (LogoutResponseMessage?, SamlProblem?) ReadCore(XmlElement root, DateTimeOffset now, TimeSpan skew)
    {
        (MessageHeader? header, SamlProblem? problem) = MessageHeader.Read(root, "LogoutResponse", now, skew);
        if (header is null)
        {
            return (null, problem);
        }

        string? inResponseTo = root.GetAttributeNode("InResponseTo")?.Value;
        if (inResponseTo is not null && !MessageHeader.IsNcName(inResponseTo))
        {
            return Fail("InResponseTo is not an NCName.");
        }

        XmlElement? status = null;
        foreach (XmlElement child in root.ChildNodes.OfType<XmlElement>().Skip(1))
        {
            switch (child.NamespaceURI, child.LocalName)
            {
                case (SamlNames.XmlDsig, "Signature"):
                case (SamlNames.Protocol, "Extensions"):
                    break;
                case (SamlNames.Protocol, "Status") when status is null:
                    status = child;
                    break;
                default:
                    return Fail("The LogoutResponse has an element the schema does not allow there.");
            }
        }

        // §3.2.2.1: Status holds StatusCode (required, with a required Value), then StatusMessage? and StatusDetail?.
        XmlElement? topCode = status?.ChildNodes.OfType<XmlElement>().FirstOrDefault();
        if (topCode is null || topCode.NamespaceURI != SamlNames.Protocol || topCode.LocalName != "StatusCode"
            || topCode.GetAttributeNode("Value")?.Value is not { Length: > 0 } topValue)
        {
            return Fail("The LogoutResponse has no Status/StatusCode with a Value.");
        }

        // §3.2.2.2: an optional nested StatusCode carries the second-level code.
        string? secondLevel = null;
        XmlElement? nested = topCode.ChildNodes.OfType<XmlElement>().FirstOrDefault();
        if (nested is not null)
        {
            if (nested.NamespaceURI != SamlNames.Protocol || nested.LocalName != "StatusCode" || nested.GetAttributeNode("Value")?.Value is not { Length: > 0 } nestedValue)
            {
                return Fail("A nested StatusCode must carry a Value.");
            }

            secondLevel = nestedValue;
        }

        return (new LogoutResponseMessage(header.Id, inResponseTo, header.IssueInstant, header.Destination, header.Issuer, topValue, secondLevel), null);
    }

    private static (LogoutResponseMessage?, SamlProblem?) Fail(string detail) => (null, SamlProblem.Requester(SamlProblemCodes.Schema, detail));
}
