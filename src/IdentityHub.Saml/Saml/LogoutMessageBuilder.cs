using System.Xml;

namespace IdentityHub.Saml.Saml;

/// <summary>The Single Logout messages the IdP sends (saml-core-2.0-os §3.7, saml-profiles-2.0-os §4.4.4).</summary>
internal static class LogoutMessageBuilder
{
    /// <summary>
    /// §3.7.1 LogoutRequest: attributes ID, Version, IssueInstant, Destination, NotOnOrAfter (§3.7.1: the time after
    /// which it expires); children Issuer, (Signature), NameID, SessionIndex* (one per session the SP was given).
    /// </summary>
    public static XmlDocument Request(
        string idpEntityId, string destination, SamlSubject subject, IReadOnlyList<string> sessionIndexes, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(sessionIndexes);
        var document = SamlXml.NewDocument();
        var request = SamlXml.Samlp(document, "LogoutRequest");
        SamlXml.Declare(request, SamlXml.SamlpPrefix, SamlNames.Protocol);
        SamlXml.Declare(request, SamlXml.SamlPrefix, SamlNames.Assertion);
        request.SetAttribute("ID", SamlIds.New());
        request.SetAttribute("Version", SamlNames.Version);
        request.SetAttribute("IssueInstant", SamlXml.Instant(now));
        request.SetAttribute("Destination", destination);
        request.SetAttribute("NotOnOrAfter", SamlXml.Instant(now + lifetime));
        document.AppendChild(request);

        SamlXml.AppendSaml(request, "Issuer", idpEntityId);
        AssertionBuilder.AppendNameId(request, subject);
        foreach (var sessionIndex in sessionIndexes)
        {
            SamlXml.Append(request, SamlXml.Samlp(document, "SessionIndex"), sessionIndex);
        }

        return document;
    }

    /// <summary>§3.7.2 LogoutResponse: a StatusResponseType (Issuer, (Signature), Status).</summary>
    public static XmlDocument Response(
        string idpEntityId, string destination, string inResponseTo, string statusCode, string? secondLevelStatusCode, DateTimeOffset now)
    {
        var document = SamlXml.NewDocument();
        var response = ResponseBuilder.NewStatusResponse(document, "LogoutResponse", idpEntityId, destination, inResponseTo, now);
        StatusElement.Append(response, statusCode, secondLevelStatusCode, null);
        return document;
    }
}
