using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Tests.Responses;

/// <summary>saml-core §3.7 LogoutRequest and LogoutResponse as the IdP sends them.</summary>
public sealed class LogoutMessageBuilderTests
{
    [Fact]
    public void A_LogoutRequest_names_the_subject_and_session_and_expires_after_its_lifetime()
    {
        var subject = new SamlSubject(Samples.NameId, SamlNameIdFormats.Persistent, Samples.SpEntityId);
        var document = LogoutMessageBuilder.Request(
            Samples.IdpEntityId, "https://benefits.agency.example.gov/saml/slo", subject, ["_session-7e3f"], Samples.Now, TimeSpan.FromMinutes(2));

        var request = document.DocumentElement!;
        Assert.Equal(("LogoutRequest", SamlNames.Protocol), (request.LocalName, request.NamespaceURI));
        Assert.Equal(["Issuer", "NameID", "SessionIndex"], Samples.ChildNames(request));
        Assert.Equal("2026-12-06T23:04:03.456Z", request.GetAttribute("NotOnOrAfter"));
        Assert.Equal("https://benefits.agency.example.gov/saml/slo", request.GetAttribute("Destination"));
        Assert.Equal(Samples.NameId, Samples.Single(document, "/samlp:LogoutRequest/saml:NameID").InnerText);
        Assert.Equal(SamlNameIdFormats.Persistent, Samples.Single(document, "/samlp:LogoutRequest/saml:NameID").GetAttribute("Format"));
        Assert.Equal("_session-7e3f", Samples.Single(document, "/samlp:LogoutRequest/samlp:SessionIndex").InnerText);
    }

    [Fact]
    public void A_LogoutResponse_answers_the_request_with_its_status()
    {
        var document = LogoutMessageBuilder.Response(
            Samples.IdpEntityId, "https://benefits.agency.example.gov/saml/slo", "_req9", SamlStatus.Success, SamlStatus.PartialLogout, Samples.Now);

        var response = document.DocumentElement!;
        Assert.Equal("LogoutResponse", response.LocalName);
        Assert.Equal(["Issuer", "Status"], Samples.ChildNames(response));
        Assert.Equal("_req9", response.GetAttribute("InResponseTo"));
        Assert.Equal(SamlStatus.PartialLogout, Samples.Single(document, "//samlp:StatusCode/samlp:StatusCode").GetAttribute("Value"));
    }
}
