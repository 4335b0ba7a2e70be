using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Samlp;

/// <summary>Reads a samlp:LogoutRequest (saml-core-2.0-os §3.7.1; saml-profiles-2.0-os §4.4.4.1) from the verified root only.</summary>
internal static class LogoutRequestReader
{
    public static (LogoutRequestMessage? Request, SamlProblem? Problem) Read(XmlElement root, DateTimeOffset now, TimeSpan skew)
    {
        ArgumentNullException.ThrowIfNull(root);
        try
        {
            return ReadCore(root, now, skew);
        }
        catch (Exception ex) when (ex is XmlException or FormatException)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.Schema, "The LogoutRequest could not be read."));
        }
    }

    private static (LogoutRequestMessage?, SamlProblem?) ReadCore(XmlElement root, DateTimeOffset now, TimeSpan skew)
    {
        (MessageHeader? header, SamlProblem? problem) = MessageHeader.Read(root, "LogoutRequest", now, skew);
        if (header is null)
        {
            return (null, problem);
        }

        DateTimeOffset? notOnOrAfter = null;
        if (root.GetAttributeNode("NotOnOrAfter")?.Value is { } notOnOrAfterText)
        {
            notOnOrAfter = SamlTime.Parse(notOnOrAfterText);
            if (notOnOrAfter is null)
            {
                return Fail(SamlProblemCodes.Schema, "NotOnOrAfter is not a UTC xs:dateTime.");
            }

            // §3.7.1: the request expires at NotOnOrAfter (the skew allows for clock drift only).
            if (now - skew >= notOnOrAfter)
            {
                return Fail(SamlProblemCodes.Expired, "The logout request has expired.");
            }
        }

        SamlNameId? nameId = null;
        var sessionIndexes = new List<string>();
        foreach (XmlElement child in root.ChildNodes.OfType<XmlElement>().Skip(1))
        {
            switch (child.NamespaceURI, child.LocalName)
            {
                case (SamlNames.XmlDsig, "Signature"):
                case (SamlNames.Protocol, "Extensions"):
                    break;
                case (SamlNames.Assertion, "NameID") when nameId is null:
                    nameId = ReadNameId(child);
                    if (nameId is null)
                    {
                        return Fail(SamlProblemCodes.Schema, "The NameID is empty or not plain text.");
                    }

                    break;
                case (SamlNames.Assertion, "EncryptedID" or "BaseID") when nameId is null:
                    return (null, SamlProblem.Unsupported(SamlProblemCodes.Unsupported, "Only a plain NameID is supported in a logout request."));
                case (SamlNames.Protocol, "SessionIndex") when nameId is not null:
                    if (ElementText.Read(child) is not { Length: > 0 } index)
                    {
                        return Fail(SamlProblemCodes.Schema, "A SessionIndex is empty or not plain text.");
                    }

                    sessionIndexes.Add(index);
                    break;
                default:
                    return Fail(SamlProblemCodes.Schema, "The LogoutRequest has an element the schema does not allow there.");
            }
        }

        return nameId is null
            ? Fail(SamlProblemCodes.Schema, "The LogoutRequest names no principal (NameID).")
            : (new LogoutRequestMessage(header.Id, header.IssueInstant, header.Destination, header.Issuer, nameId, sessionIndexes, notOnOrAfter), null);
    }

    private static SamlNameId? ReadNameId(XmlElement element) =>
        ElementText.Read(element) is { Length: > 0 } value && value.Trim().Length > 0
            ? new SamlNameId(value, element.GetAttributeNode("Format")?.Value, element.GetAttributeNode("NameQualifier")?.Value, element.GetAttributeNode("SPNameQualifier")?.Value)
            : null;

    private static (LogoutRequestMessage?, SamlProblem?) Fail(string code, string detail) => (null, SamlProblem.Requester(code, detail));
}
