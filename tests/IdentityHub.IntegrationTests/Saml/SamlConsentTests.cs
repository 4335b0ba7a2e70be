using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Testing;
using IdentityHub.Testing.Saml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// Consent for SAML service providers (docs/saml.md "Consent"), against node-saml as the SP: an SP that is not a
/// government service gets nothing before the citizen allows it on the hub's page; the answer is remembered, can be
/// withdrawn in the portal, and a refusal reaches the SP as RequestDenied; a forged answer changes nothing.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SamlConsentTests(HubFixture hub)
{
    private const string AgencyName = "Land registry";

    [Fact]
    public async Task An_SP_that_needs_consent_gets_the_page_and_once_allowed_node_saml_accepts_the_answer_and_the_next_sign_in_is_not_asked()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await NeedingConsentAsync();

        var (requestId, consentPath, page) = await ToConsentPageAsync(citizen, sp);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"Allow {AgencyName} to receive your details?", page.Body, StringComparison.Ordinal);
        foreach (var attribute in new[] { "Your given names", "Your family name", "Your date of birth", "identifies you to this service only" })
        {
            Assert.Contains(attribute, page.Body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("national identification number", page.Body, StringComparison.Ordinal);
        var answered = await AnswerAsync(citizen, consentPath, page, "allow");
        Assert.Equal(HttpStatusCode.Redirect, answered.Status);
        var form = await citizen.Client.GetAsync(answered.Location!);
        var profile = (await NodeSamlSp.RunAsync("validate-response", new JsonObject
        {
            ["sp"] = sp.Config.DeepClone(),
            ["samlResponse"] = form.Hidden("SAMLResponse"),
            ["relayState"] = form.Hidden("RelayState"),
            ["requestIds"] = new JsonArray(requestId),
        })).Ok()["profile"]!.AsObject();
        Assert.Contains("Mari", profile.ToJsonString(), StringComparison.Ordinal);
        var granted = await hub.LastAsync(citizen.Letter.NationalId, "saml.consent.granted");
        Assert.Contains(sp.EntityId, granted, StringComparison.Ordinal);
        Assert.Contains("CurrentGivenName", granted, StringComparison.Ordinal);

        // Remembered: the next request is answered at once (SignInAsync fails on anything but the answer page).
        var (second, _) = await SamlSsoTests.SignInAsync(citizen, sp);
        Assert.False(string.IsNullOrEmpty(second.SamlResponse));
    }

    [Fact]
    public async Task A_refusal_reaches_node_saml_as_RequestDenied_and_is_audited()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await NeedingConsentAsync();
        var (requestId, consentPath, page) = await ToConsentPageAsync(citizen, sp);

        var answered = await AnswerAsync(citizen, consentPath, page, "deny");
        Assert.Equal(HttpStatusCode.Redirect, answered.Status);
        var form = await citizen.Client.GetAsync(answered.Location!);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var xml = Encoding.UTF8.GetString(Convert.FromBase64String(form.Hidden("SAMLResponse")!));
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:status:Responder", xml, StringComparison.Ordinal);
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:status:RequestDenied", xml, StringComparison.Ordinal);
        Assert.Contains($"InResponseTo=\"{requestId}\"", xml, StringComparison.Ordinal);
        var refused = await NodeSamlSp.RunAsync("validate-response", new JsonObject
        {
            ["sp"] = sp.Config.DeepClone(),
            ["samlResponse"] = form.Hidden("SAMLResponse"),
            ["relayState"] = form.Hidden("RelayState"),
            ["requestIds"] = new JsonArray(requestId),
        });
        Assert.Equal("rejected", refused.Error);
        Assert.Contains("RequestDenied", refused.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(sp.EntityId, await hub.LastAsync(citizen.Letter.NationalId, "saml.consent.denied"), StringComparison.Ordinal);
        Assert.Equal(0, await ConsentRowsAsync(sp.EntityId));

        // The same link again answers nothing more: the request was answered.
        var again = await citizen.Client.GetAsync(answered.Location!);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await citizen.Client.GetAsync(consentPath)).Status);
    }

    [Fact]
    public async Task A_withdrawn_consent_is_asked_for_again()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await NeedingConsentAsync();
        var (_, consentPath, page) = await ToConsentPageAsync(citizen, sp);
        Assert.Equal(HttpStatusCode.Redirect, (await AnswerAsync(citizen, consentPath, page, "allow")).Status);

        var portal = await citizen.Client.GetAsync("/account/consents");
        Assert.Contains($"data-sp=\"{sp.EntityId}\"", portal.Body, StringComparison.Ordinal);
        Assert.Contains(AgencyName, portal.Body, StringComparison.Ordinal);
        var withdrawn = await citizen.Client.PostAsync("/account/consents?handler=WithdrawSaml", new Dictionary<string, string> { ["EntityId"] = sp.EntityId }, HubWebClient.TokenOf(portal.Body));
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.Status);
        Assert.Contains(sp.EntityId, await hub.LastAsync(citizen.Letter.NationalId, "saml.consent.withdrawn"), StringComparison.Ordinal);
        Assert.Equal(0, await ConsentRowsAsync(sp.EntityId));
        Assert.DoesNotContain($"data-sp=\"{sp.EntityId}\"", (await citizen.Client.GetAsync("/account/consents")).Body, StringComparison.Ordinal);

        var (_, _, asked) = await ToConsentPageAsync(citizen, sp);
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains($"Allow {AgencyName} to receive your details?", asked.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_answer_without_antiforgery_from_another_session_or_for_an_answered_request_is_refused()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var other = await hub.ActivateWithTotpAsync();
        var sp = await NeedingConsentAsync();
        var (_, consentPath, page) = await ToConsentPageAsync(citizen, sp);
        var fields = new Dictionary<string, string> { ["hub_consent"] = "allow", ["hub_consent_ticket"] = page.Hidden("hub_consent_ticket")! };

        // No antiforgery token: Razor Pages refuses the POST.
        Assert.Equal(HttpStatusCode.BadRequest, (await citizen.Client.PostAsync(consentPath, fields, token: null)).Status);

        // Another citizen's session, with its own valid antiforgery token, posting this page's ticket.
        var otherToken = HubWebClient.TokenOf((await other.Client.GetAsync("/account/consents")).Body);
        var forged = await other.Client.PostAsync(consentPath, fields, otherToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("does not belong to a sign-in that is waiting for it", WebUtility.HtmlDecode(forged.Body), StringComparison.Ordinal);

        // The right session with a made-up ticket.
        var token = HubWebClient.TokenOf(page.Body);
        Assert.Equal(HttpStatusCode.BadRequest, (await citizen.Client.PostAsync(consentPath, new Dictionary<string, string>(fields) { ["hub_consent_ticket"] = "CfDJ8forged" }, token)).Status);
        Assert.Equal(0, await ConsentRowsAsync(sp.EntityId));

        // The genuine answer counts once: after the request is answered, the same form is refused.
        var genuine = await citizen.Client.PostAsync(consentPath, fields, token);
        Assert.Equal(HttpStatusCode.Redirect, genuine.Status);
        Assert.Equal(HttpStatusCode.OK, (await citizen.Client.GetAsync(genuine.Location!)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await citizen.Client.PostAsync(consentPath, fields, token)).Status);
        Assert.Equal(1, await ConsentRowsAsync(sp.EntityId));
    }

    [Fact]
    public async Task A_government_service_is_never_asked_and_a_passive_request_without_consent_gets_RequestDenied()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var government = await new SamlSsoTests(hub).RegisterAsync(NodeSamlSp.Redirect, encrypted: false, displayName: "Tax office", governmentService: true);
        var (answer, _) = await SamlSsoTests.SignInAsync(citizen, government);
        Assert.False(string.IsNullOrEmpty(answer.SamlResponse));
        Assert.Equal(0, await ConsentRowsAsync(government.EntityId));

        // A passive request may not show the page (saml-core §3.4.1): without consent the SP is told at once.
        var passive = await NeedingConsentAsync(c => c["passive"] = true);
        var (requestId, refused) = await SamlSsoTests.StartAsync(citizen, passive);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        var xml = Encoding.UTF8.GetString(Convert.FromBase64String(refused.Hidden("SAMLResponse")!));
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:status:RequestDenied", xml, StringComparison.Ordinal);
        Assert.Contains("the request is passive", xml, StringComparison.Ordinal);
        Assert.Contains($"InResponseTo=\"{requestId}\"", xml, StringComparison.Ordinal);
    }

    private Task<SamlSsoTests.RegisteredSp> NeedingConsentAsync(Action<JsonObject>? configure = null) =>
        new SamlSsoTests(hub).RegisterAsync(NodeSamlSp.Redirect, encrypted: false, configure: configure, displayName: AgencyName, governmentService: false);

    /// <summary>The AuthnRequest, the continue step's redirect to the consent page, and the page.</summary>
    private static async Task<(string RequestId, string ConsentPath, WebPage Page)> ToConsentPageAsync(ActivatedCitizen citizen, SamlSsoTests.RegisteredSp sp)
    {
        var (requestId, start) = await SamlSsoTests.StartAsync(citizen, sp);
        Assert.True(start.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(start.Body));
        var next = await citizen.Client.GetAsync(start.Location!);
        Assert.True(next.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(next.Body));
        Assert.StartsWith("/consent/saml/", next.Location, StringComparison.Ordinal);
        return (requestId, next.Location!, await citizen.Client.GetAsync(next.Location!));
    }

    private static Task<WebPage> AnswerAsync(ActivatedCitizen citizen, string consentPath, WebPage page, string decision) =>
        citizen.Client.PostAsync(consentPath, new Dictionary<string, string>
        {
            ["hub_consent"] = decision,
            ["hub_consent_ticket"] = page.Hidden("hub_consent_ticket")!,
        }, HubWebClient.TokenOf(page.Body));

    private async Task<int> ConsentRowsAsync(string entityId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().SamlConsents.CountAsync(c => c.SpEntityId == entityId);
    }
}
