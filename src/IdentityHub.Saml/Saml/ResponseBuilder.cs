using System.Xml;

namespace IdentityHub.Saml.Saml;

/// <summary>
/// saml-core-2.0-os §3.3.3 Response for the Web Browser SSO profile (saml-profiles-2.0-os §4.1.4.2). Children in schema
/// order (§3.2.2 StatusResponseType): Issuer, (Signature, inserted by the signer), Status, Assertion.
/// </summary>
internal static class ResponseBuilder
{
    public static XmlDocument Success(AssertionContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var document = SamlXml.NewDocument();
        var response = NewResponse(document, content.IdpEntityId, content.AcsUrl, content.InResponseTo, content.Now);
        StatusElement.Append(response, SamlStatus.Success, null, null);
        response.AppendChild(AssertionBuilder.Build(document, content));
        return document;
    }

    /// <summary>§3.2.2: a Response with a non-success Status carries no assertion.</summary>
    public static XmlDocument Error(
        string idpEntityId, string destination, string? inResponseTo, string statusCode, string? secondLevelStatusCode, string? statusMessage, DateTimeOffset now)
    {
        if (string.Equals(statusCode, SamlStatus.Success, StringComparison.Ordinal))
        {
            throw new ArgumentException("An error Response needs a top-level status other than Success.", nameof(statusCode));
        }

        var document = SamlXml.NewDocument();
        var response = NewResponse(document, idpEntityId, destination, inResponseTo, now);
        StatusElement.Append(response, statusCode, secondLevelStatusCode, statusMessage);
        return document;
    }

    /// <summary>The Response's one saml:Assertion child (to sign or encrypt it).</summary>
    public static XmlElement AssertionOf(XmlDocument response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var assertions = response.DocumentElement?.ChildNodes.OfType<XmlElement>()
            .Where(e => e.LocalName == "Assertion" && e.NamespaceURI == SamlNames.Assertion)
            .ToList() ?? [];
        return assertions.Count == 1
            ? assertions[0]
            : throw new InvalidOperationException($"The Response holds {assertions.Count} saml:Assertion elements; one was expected.");
    }

    /// <summary>§3.2.2 StatusResponseType attributes: ID, InResponseTo, Version, IssueInstant, Destination; then Issuer.</summary>
    internal static XmlElement NewStatusResponse(
        XmlDocument document, string localName, string issuer, string destination, string? inResponseTo, DateTimeOffset now)
    {
        var response = SamlXml.Samlp(document, localName);
        SamlXml.Declare(response, SamlXml.SamlpPrefix, SamlNames.Protocol);
        SamlXml.Declare(response, SamlXml.SamlPrefix, SamlNames.Assertion);
        response.SetAttribute("ID", SamlIds.New());
        SamlXml.SetIfNotNull(response, "InResponseTo", inResponseTo);
        response.SetAttribute("Version", SamlNames.Version);
        response.SetAttribute("IssueInstant", SamlXml.Instant(now));
        response.SetAttribute("Destination", destination);
        document.AppendChild(response);

        // saml-profiles §4.1.4.2: the Issuer's Format, if any, is entity, which is the default, so it is left out.
        SamlXml.AppendSaml(response, "Issuer", issuer);
        return response;
    }

    private static XmlElement NewResponse(XmlDocument document, string issuer, string destination, string? inResponseTo, DateTimeOffset now) =>
        NewStatusResponse(document, "Response", issuer, destination, inResponseTo, now);
}
