using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Oidc.Consent;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// Consent (docs/oidc.md "Consent", decision 0020): an agency that is not a government service gets nothing before the
/// citizen allows it on the hub's page; the answer is remembered per client and scope set, can be withdrawn in the
/// portal (which ends the tokens issued under it), and a forged or edited answer grants nothing.
/// </summary>
[Collection(HubCollection.Name)]
public sealed partial class ConsentTests(HubFixture hub)
{
    [Fact]
    public async Task A_first_request_shows_the_agency_and_each_attribute_and_once_allowed_is_answered_without_asking()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await RegisterAsync("tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var request = OidcDriver.Request(clientId, "openid profile");

        var page = await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"Allow Agency {clientId} to receive your details?", page.Body, StringComparison.Ordinal);
        foreach (var attribute in new[] { "Your given names", "Your family name", "Your date of birth", "identifies you to this service only" })
        {
            Assert.Contains(attribute, page.Body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("national identification number", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Stay signed in", page.Body, StringComparison.Ordinal);
        var callback = OidcDriver.CallbackParameters(await AnswerAsync(browser, page, ConsentForm.Allow));
        Assert.Equal(request.State, callback["state"]);
        Assert.Equal(HttpStatusCode.OK, (await OidcDriver.RedeemAsync(hub, clientId, callback["code"], request.Verifier)).Status);
        var granted = await hub.LastAsync(citizen.Letter.NationalId, "oidc.consent.granted");
        Assert.Contains(clientId, granted, StringComparison.Ordinal);
        Assert.Contains("openid profile", granted, StringComparison.Ordinal);

        var again = OidcDriver.Request(clientId, "openid profile");
        Assert.True(OidcDriver.CallbackParameters(await browser.GetAsync(again.Query)).ContainsKey("code"));
        var fewer = OidcDriver.Request(clientId, "openid");
        Assert.True(OidcDriver.CallbackParameters(await browser.GetAsync(fewer.Query)).ContainsKey("code"));
    }

    [Fact]
    public async Task A_scope_not_allowed_before_asks_again_marking_it_new_and_prompt_consent_always_asks()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await RegisterAsync("tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        await AllowAsync(browser, await OidcDriver.LogInAndComeBackAsync(browser, citizen, OidcDriver.Request(clientId, "openid profile").Query));

        var more = await OidcDriver.FollowAsync(browser, OidcDriver.Request(clientId, "openid profile offline_access").Query);

        Assert.Equal(HttpStatusCode.OK, more.Status);
        Assert.Contains("now asks IdentityHub for more details", more.Body, StringComparison.Ordinal);
        Assert.Matches("data-scope=\"offline_access\">Stay signed in[^<]*<span class=\"tag\">new</span>", more.Body);
        Assert.DoesNotMatch("data-scope=\"profile\">[^<]*<span class=\"tag\">", more.Body);
        await AllowAsync(browser, more);
        Assert.True(OidcDriver.CallbackParameters(await browser.GetAsync(OidcDriver.Request(clientId, "openid profile offline_access").Query)).ContainsKey("code"));

        var prompt = OidcDriver.Request(clientId, "openid profile", new Dictionary<string, string> { ["prompt"] = "consent" });
        var asked = await OidcDriver.FollowAsync(browser, prompt.Query);
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains("Your given names", asked.Body, StringComparison.Ordinal);
        // The answer carries prompt=consent back with it and is not asked for once more.
        var callback = OidcDriver.CallbackParameters(await AnswerAsync(browser, asked, ConsentForm.Allow));
        Assert.Equal(prompt.State, callback["state"]);
    }

    [Fact]
    public async Task Denying_answers_access_denied_at_the_redirect_uri_and_prompt_none_without_consent_is_consent_required()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await RegisterAsync("tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var request = OidcDriver.Request(clientId);

        var denied = OidcDriver.CallbackParameters(await AnswerAsync(browser, await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query), ConsentForm.Deny));

        Assert.Equal("access_denied", denied["error"]);
        Assert.Equal(request.State, denied["state"]);
        Assert.Equal(hub.BaseAddress.ToString(), denied["iss"]);
        Assert.Contains(clientId, await hub.LastAsync(citizen.Letter.NationalId, "oidc.consent.denied"), StringComparison.Ordinal);
        var none = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["prompt"] = "none" }).Query);
        Assert.Equal("consent_required", OidcDriver.CallbackParameters(none)["error"]);
        Assert.StartsWith(ConsentForm.PagePath + "?", (await browser.GetAsync(OidcDriver.Request(clientId).Query)).Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Withdrawing_in_the_portal_revokes_the_tokens_issued_under_the_consent_and_the_next_request_asks_again()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await RegisterAsync("health.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var request = OidcDriver.Request(clientId, "openid profile offline_access");
        var code = OidcDriver.CallbackParameters(await AnswerAsync(browser, await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query), ConsentForm.Allow))["code"];
        var tokens = (await OidcDriver.RedeemAsync(hub, clientId, code, request.Verifier)).Body;

        var portal = await browser.GetAsync("/account/consents");
        Assert.Equal(HttpStatusCode.OK, portal.Status);
        Assert.Contains($"<td>Agency {clientId}</td>", portal.Body, StringComparison.Ordinal);
        Assert.Contains("Stay signed in", portal.Body, StringComparison.Ordinal);
        var withdrawn = await browser.PostAsync("/account/consents?handler=Withdraw", new Dictionary<string, string> { ["ClientId"] = clientId }, HubWebClient.TokenOf(portal.Body));
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.Status);

        Assert.Contains(clientId, await hub.LastAsync(citizen.Letter.NationalId, "oidc.consent.withdrawn"), StringComparison.Ordinal);
        var after = await browser.GetAsync("/account/consents");
        Assert.Contains($"You withdrew the permission of Agency {clientId}.", after.Body, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>Agency {clientId}</td>", after.Body, StringComparison.Ordinal);
        var refresh = await OidcDriver.TokenAsync(hub, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["client_id"] = clientId,
        });
        Assert.Equal(HttpStatusCode.BadRequest, refresh.Status);
        Assert.Equal("invalid_grant", refresh.Body.GetProperty("error").GetString());
        Assert.Equal([OpenIddictConstants.Statuses.Revoked], await TokenStatusesAsync(clientId));
        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userinfo.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(userinfo)).StatusCode);
        Assert.StartsWith(ConsentForm.PagePath + "?", (await browser.GetAsync(OidcDriver.Request(clientId).Query)).Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_government_service_is_not_asked_and_setting_or_changing_that_is_audited_with_the_operator()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test", governmentService: true);
        using var browser = new HubWebClient(hub.BaseAddress);

        Assert.True(OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, OidcDriver.Request(clientId).Query)).ContainsKey("code"));
        var set = await hub.LastAsync(clientId, GovernmentServices.AuditType);
        Assert.Contains("\"governmentService\":\"true\"", set, StringComparison.Ordinal);

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<GovernmentServices>().SetAsync(clientId, false, "operator-7", CancellationToken.None));
        }

        Assert.Contains("\"governmentService\":\"false\"", await hub.LastAsync(clientId, GovernmentServices.AuditType), StringComparison.Ordinal);
        Assert.Contains(await hub.EventsAsync(clientId), e => e.Type == GovernmentServices.AuditType);
        Assert.StartsWith(ConsentForm.PagePath + "?", (await browser.GetAsync(OidcDriver.Request(clientId).Query)).Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_or_edited_consent_answer_grants_nothing()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await RegisterAsync("tax.agency.test");
        var other = await RegisterAsync("land.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var page = await OidcDriver.LogInAndComeBackAsync(browser, citizen, OidcDriver.Request(clientId, "openid profile").Query);
        var fields = HiddenFields(page.Body);
        fields[ConsentForm.DecisionField] = ConsentForm.Allow;
        var token = HubWebClient.TokenOf(page.Body);

        // Another site's form has no antiforgery token.
        var noToken = await browser.PostAsync("/connect/authorize", fields, token: null);
        // The hub's token, but the answer edited for another client, or for more scopes than the page showed.
        var otherClient = await browser.PostAsync("/connect/authorize", new Dictionary<string, string>(fields) { ["client_id"] = other }, token);
        var moreScopes = await browser.PostAsync("/connect/authorize", new Dictionary<string, string>(fields) { ["scope"] = "openid profile offline_access" }, token);
        // The ticket of another citizen's page (here: a made-up one).
        var badTicket = await browser.PostAsync("/connect/authorize", new Dictionary<string, string>(fields) { [ConsentForm.TicketField] = "CfDJ8forged" }, token);

        foreach (var answer in new[] { noToken, otherClient, moreScopes, badTicket })
        {
            Assert.Equal(HttpStatusCode.Redirect, answer.Status);
            Assert.StartsWith(ConsentForm.PagePath + "?", answer.Location, StringComparison.Ordinal);
            Assert.DoesNotContain(ConsentForm.TicketField, answer.Location, StringComparison.Ordinal);
            Assert.DoesNotContain("__RequestVerificationToken", answer.Location, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await hub.EventsAsync(citizen.Letter.NationalId), e => e.Type == "oidc.consent.granted");
        Assert.StartsWith(ConsentForm.PagePath + "?", (await browser.GetAsync(OidcDriver.Request(other).Query)).Location, StringComparison.Ordinal);
        Assert.StartsWith(ConsentForm.PagePath + "?", (await browser.GetAsync(OidcDriver.Request(clientId).Query)).Location, StringComparison.Ordinal);
        // The page itself refuses a request for a scope the client is not registered for, or an unregistered redirect URI.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(OidcDriver.Request(clientId, "openid national_id").Query.Replace("/connect/authorize", ConsentForm.PagePath, StringComparison.Ordinal))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(OidcDriver.Request(clientId, redirectUri: "https://evil.example/cb").Query.Replace("/connect/authorize", ConsentForm.PagePath, StringComparison.Ordinal))).Status);
        // The genuine answer still works.
        Assert.True(OidcDriver.CallbackParameters(await browser.PostAsync("/connect/authorize", fields, token)).ContainsKey("code"));
    }

    [Fact]
    public async Task The_consent_page_lets_its_form_lead_to_the_agencys_registered_origin_only()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await RegisterAsync("tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var page = await OidcDriver.LogInAndComeBackAsync(browser, citizen, OidcDriver.Request(clientId).Query);
        using var response = await hub.Http.GetAsync("/account");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        using var raw = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        using var consent = await raw.GetAsync(new Uri(OidcDriver.Request(clientId).Query.Replace("/connect/authorize", ConsentForm.PagePath, StringComparison.Ordinal), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Contains("form-action 'self' http://127.0.0.1:9;", consent.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("form-action 'self';", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private Task<string> RegisterAsync(string sector) =>
        OidcDriver.RegisterAsync(hub, sector, [IdentityHub.Oidc.OidcScopes.Profile, IdentityHub.Oidc.OidcScopes.OfflineAccess], governmentService: false);

    /// <summary>Posts the consent page's form as the browser does: every hidden field, the button pressed, the antiforgery token.</summary>
    internal static Task<WebPage> AnswerAsync(HubWebClient browser, WebPage page, string decision)
    {
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var fields = HiddenFields(page.Body);
        fields[ConsentForm.DecisionField] = decision;
        return browser.PostAsync("/connect/authorize", fields, HubWebClient.TokenOf(page.Body));
    }

    private static async Task AllowAsync(HubWebClient browser, WebPage page) =>
        Assert.True(OidcDriver.CallbackParameters(await AnswerAsync(browser, page, ConsentForm.Allow)).ContainsKey("code"));

    private static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));

    private async Task<string[]> TokenStatusesAsync(string clientId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var application = await applications.FindByClientIdAsync(clientId) ?? throw new InvalidOperationException("no client");
        var statuses = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var token in tokens.FindByApplicationIdAsync((await applications.GetIdAsync(application))!))
        {
            statuses.Add((await tokens.GetStatusAsync(token))!);
        }

        return [.. statuses];
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
