using System.Net;
using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>The authorization request parameters that steer the login: claims (an essential acr), login_hint and ui_locales.</summary>
[Collection(HubCollection.Name)]
public sealed class RequestParameterTests(HubFixture hub)
{
    [Fact]
    public async Task An_essential_acr_in_the_claims_parameter_asks_for_that_level_and_one_the_hub_cannot_reach_is_unmet()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);

        var fresh = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string>
        {
            ["claims"] = """{"id_token":{"acr":{"essential":true,"values":["http://eidas.europa.eu/LoA/high"]}}}""",
        }).Query);
        Assert.StartsWith("/login?level=high&", fresh.Location, StringComparison.Ordinal);

        await OidcDriver.LogInAndComeBackAsync(browser, citizen, OidcDriver.Request(clientId).Query);
        var stepUp = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string>
        {
            ["claims"] = """{"userinfo":{"acr":{"essential":true,"value":"http://eidas.europa.eu/LoA/high"}}}""",
        }).Query);
        Assert.StartsWith("/account/step-up?level=high&", stepUp.Location, StringComparison.Ordinal);

        var unmet = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string>
        {
            ["claims"] = """{"id_token":{"acr":{"essential":true,"values":["urn:example:loa:gold"]}}}""",
        }).Query);
        Assert.Equal("unmet_authentication_requirements", OidcDriver.CallbackParameters(unmet)["error"]);

        // A voluntary acr the hub does not know is ignored; the session's level answers.
        var voluntary = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string>
        {
            ["claims"] = """{"id_token":{"acr":{"values":["urn:example:loa:gold"]},"given_name":null}}""",
        }).Query);
        Assert.True(OidcDriver.CallbackParameters(voluntary).ContainsKey("code"));

        foreach (var malformed in new[] { "not json", "[1,2]", """{"id_token":"acr"}""" })
        {
            var answer = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["claims"] = malformed }).Query);
            Assert.Equal("invalid_request", OidcDriver.CallbackParameters(answer)["error"]);
        }
    }

    [Fact]
    public async Task A_login_hint_fills_in_the_national_identifier_and_ui_locales_chooses_a_language_the_hub_has()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);

        var redirect = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string>
        {
            ["login_hint"] = citizen.Letter.NationalId,
            ["ui_locales"] = "fr-CA et-EE en",
        }).Query);
        Assert.Contains("login_hint=" + citizen.Letter.NationalId, redirect.Location, StringComparison.Ordinal);
        var login = await browser.GetAsync(redirect.Location!);
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Contains($"value=\"{citizen.Letter.NationalId}\"", login.Body, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"et\"", login.Body, StringComparison.Ordinal);

        // Anything but a national identifier is not carried to the page.
        var other = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["login_hint"] = "someone@example.test" }).Query);
        var loginQuery = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri(hub.BaseAddress, "/"), other.Location!).Query);
        Assert.True(loginQuery.ContainsKey("returnUrl"));
        Assert.False(loginQuery.ContainsKey("login_hint"));
        var page = await browser.GetAsync(other.Location!);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.DoesNotContain("value=\"someone@example.test\"", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{citizen.Letter.NationalId}\"", page.Body, StringComparison.Ordinal);
    }
}
