using System.Net;
using System.Text.Json;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// Authorization code with PKCE over HTTP, as an agency's relying party and a citizen's browser meet the hub: login at
/// the level asked for, ES256 ID tokens signed in the HSM that verify with the published JWKS, pairwise subjects per
/// sector, one hub session for every agency, and the protocol's own errors for what must not work.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class CodeFlowTests(HubFixture hub)
{
    [Fact]
    public async Task A_citizen_logs_in_for_an_agency_which_gets_a_verified_substantial_ID_token_and_userinfo()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        var request = OidcDriver.Request(clientId);
        using var browser = new HubWebClient(hub.BaseAddress);

        var callback = OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query));

        Assert.Equal(request.State, callback["state"]);
        Assert.Equal(hub.BaseAddress.ToString(), callback["iss"]); // RFC 9207
        var (status, tokens) = await OidcDriver.RedeemAsync(hub, clientId, callback["code"], request.Verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        var idToken = await OidcDriver.ValidateIdTokenAsync(hub, tokens.GetProperty("id_token").GetString()!, clientId, request.Nonce);
        Assert.Equal("ES256", idToken.Alg);
        Assert.Equal("http://eidas.europa.eu/LoA/substantial", idToken.GetClaim("acr").Value);
        Assert.Equal(["mfa", "otp", "pwd"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(43, idToken.Subject.Length);
        Assert.DoesNotContain(citizen.Letter.NationalId, idToken.EncodedPayload, StringComparison.Ordinal);
        Assert.False(idToken.TryGetClaim("national_id", out _));
        Assert.True(long.Parse(idToken.GetClaim("auth_time").Value, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
        Assert.False(string.IsNullOrEmpty(idToken.GetClaim("sid").Value));

        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userinfo.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using var answer = await hub.Http.SendAsync(userinfo);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var claims = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(idToken.Subject, claims.GetProperty("sub").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("family_name").GetString()));
        Assert.False(claims.TryGetProperty("national_id", out _));
        Assert.Contains($"\"acr\":\"http://eidas.europa.eu/LoA/substantial\"", await hub.LastAsync(citizen.Letter.NationalId, "oidc.authorized"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_agency_is_answered_from_the_same_hub_session_without_a_login_and_sees_another_subject()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var tax = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        var health = await OidcDriver.RegisterAsync(hub, "health.agency.test", [OidcScopesForTests.Profile, OidcScopesForTests.NationalId]);
        var taxTwin = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var first = OidcDriver.Request(tax);
        var firstCode = OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, first.Query))["code"];
        var taxToken = await OidcDriver.ValidateIdTokenAsync(hub, (await OidcDriver.RedeemAsync(hub, tax, firstCode, first.Verifier)).Body.GetProperty("id_token").GetString()!, tax, first.Nonce);

        var second = OidcDriver.Request(health, "openid profile national_id");
        var straightBack = await browser.GetAsync(second.Query);
        var healthCode = OidcDriver.CallbackParameters(straightBack)["code"];
        var healthToken = await OidcDriver.ValidateIdTokenAsync(hub, (await OidcDriver.RedeemAsync(hub, health, healthCode, second.Verifier)).Body.GetProperty("id_token").GetString()!, health, second.Nonce);
        var third = OidcDriver.Request(taxTwin);
        var twinCode = OidcDriver.CallbackParameters(await browser.GetAsync(third.Query))["code"];
        var twinToken = await OidcDriver.ValidateIdTokenAsync(hub, (await OidcDriver.RedeemAsync(hub, taxTwin, twinCode, third.Verifier)).Body.GetProperty("id_token").GetString()!, taxTwin, third.Nonce);

        Assert.NotEqual(taxToken.Subject, healthToken.Subject);
        Assert.Equal(taxToken.Subject, twinToken.Subject);
        Assert.Equal(taxToken.GetClaim("sid").Value, healthToken.GetClaim("sid").Value);
        Assert.Equal(citizen.Letter.NationalId, healthToken.GetClaim("national_id").Value);
    }

    [Fact]
    public async Task A_client_not_entitled_to_the_national_identifier_cannot_ask_for_it()
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "land.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);

        var answer = await browser.GetAsync(OidcDriver.Request(clientId, "openid national_id").Query);

        // OpenIddict refuses a scope the client holds no permission for before it trusts the redirect URI: an error page.
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Null(answer.Location);
        Assert.Contains("scope", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unregistered_redirect_uri_gets_an_error_page_and_no_redirect()
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);

        var answer = await browser.GetAsync(OidcDriver.Request(clientId, redirectUri: "http://127.0.0.1:9/elsewhere").Query);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Null(answer.Location);
        Assert.Contains("redirect_uri", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_session_prompt_none_answers_login_required_at_the_callback()
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);

        var answer = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["prompt"] = "none" }).Query);

        Assert.Equal("login_required", OidcDriver.CallbackParameters(answer)["error"]);
    }

    [Fact]
    public async Task A_code_works_once_only_with_its_verifier_and_only_for_its_client()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        var other = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var request = OidcDriver.Request(clientId);
        await OidcDriver.LogInAndComeBackAsync(browser, citizen, OidcDriver.Request(clientId).Query);

        async Task<string> FreshCodeAsync() => OidcDriver.CallbackParameters(await browser.GetAsync(request.Query))["code"];

        var wrongVerifier = await OidcDriver.RedeemAsync(hub, clientId, await FreshCodeAsync(), request.Verifier[..^2] + "xx");
        Assert.Equal("invalid_grant", wrongVerifier.Body.GetProperty("error").GetString());
        var noVerifier = await OidcDriver.TokenAsync(hub, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = await FreshCodeAsync(), ["redirect_uri"] = OidcDriver.Callback, ["client_id"] = clientId,
        });
        Assert.Equal("invalid_request", noVerifier.Body.GetProperty("error").GetString());
        var otherClient = await OidcDriver.RedeemAsync(hub, other, await FreshCodeAsync(), request.Verifier);
        Assert.Equal("invalid_grant", otherClient.Body.GetProperty("error").GetString());

        var code = await FreshCodeAsync();
        var first = await OidcDriver.RedeemAsync(hub, clientId, code, request.Verifier);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var again = await OidcDriver.RedeemAsync(hub, clientId, code, request.Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("invalid_grant", again.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Discovery_advertises_what_the_hub_enforces_and_the_JWKS_holds_only_public_HSM_keys()
    {
        var discovery = JsonDocument.Parse(await hub.Http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        string[] Values(string name) => [.. discovery.GetProperty(name).EnumerateArray().Select(v => v.GetString()!)];

        Assert.Equal(hub.BaseAddress.ToString(), discovery.GetProperty("issuer").GetString());
        Assert.Equal(["S256"], Values("code_challenge_methods_supported"));
        Assert.Equal(["code"], Values("response_types_supported"));
        Assert.Equal(["query"], Values("response_modes_supported"));
        Assert.Equal(["pairwise"], Values("subject_types_supported"));
        Assert.Equal(["http://eidas.europa.eu/LoA/low", "http://eidas.europa.eu/LoA/substantial", "http://eidas.europa.eu/LoA/high"], Values("acr_values_supported"));
        Assert.Equal(["ES256", "PS256", "RS256"], Values("id_token_signing_alg_values_supported").Order(StringComparer.Ordinal));
        Assert.DoesNotContain("implicit", Values("grant_types_supported"));
        Assert.DoesNotContain("password", Values("grant_types_supported"));
        Assert.True(discovery.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        // The hub reads an acr request in claims (OpenIddict alone would say false); it refuses request objects.
        Assert.True(discovery.GetProperty("claims_parameter_supported").GetBoolean());
        Assert.False(discovery.GetProperty("request_parameter_supported").GetBoolean());
        Assert.Equal(["consent", "login", "none"], Values("prompt_values_supported").Order(StringComparer.Ordinal));

        var jwks = JsonDocument.Parse(await hub.Http.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!))).RootElement.GetProperty("keys");
        // The current and the next key of each kind (decision 0018), perhaps retired ones too: public members only.
        Assert.True(jwks.GetArrayLength() >= 4);
        foreach (var key in jwks.EnumerateArray())
        {
            Assert.Contains(key.GetProperty("kty").GetString(), new[] { "EC", "RSA" });
            Assert.Equal("P-256", key.GetProperty("kty").GetString() == "EC" ? key.GetProperty("crv").GetString() : "P-256");
            Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
            Assert.False(key.TryGetProperty("d", out _));
            Assert.False(key.TryGetProperty("p", out _));
        }
    }

    [Fact]
    public async Task Asking_for_high_from_a_substantial_session_goes_to_the_step_up_and_comes_back_to_the_request()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        await OidcDriver.LogInAndComeBackAsync(browser, citizen, OidcDriver.Request(clientId).Query);

        var high = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["acr_values"] = "http://eidas.europa.eu/LoA/high" }).Query);

        Assert.Equal(HttpStatusCode.Redirect, high.Status);
        Assert.StartsWith("/account/step-up?level=high&returnUrl=%2Fconnect%2Fauthorize%3F", high.Location, StringComparison.Ordinal);
        var none = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["acr_values"] = "http://eidas.europa.eu/LoA/high", ["prompt"] = "none" }).Query);
        Assert.Equal("interaction_required", OidcDriver.CallbackParameters(none)["error"]);
    }

    [Fact]
    public async Task A_client_registration_with_a_bad_field_is_refused_naming_it()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var clients = scope.ServiceProvider.GetRequiredService<IdentityHub.Oidc.OidcClients>();
        IdentityHub.Oidc.OidcClientSpec Spec(params string[] redirects) => new() { ClientId = "bad-" + Guid.NewGuid().ToString("N")[..6], DisplayName = "Bad", RedirectUris = redirects };

        Assert.Equal("redirect_uris", (await clients.AddAsync(Spec("http://agency.test/cb"), "tests", CancellationToken.None)).Field);
        Assert.Equal("redirect_uris", (await clients.AddAsync(Spec("https://agency.test/cb#x"), "tests", CancellationToken.None)).Field);
        Assert.Equal("redirect_uris", (await clients.AddAsync(Spec("/relative"), "tests", CancellationToken.None)).Field);
        Assert.Equal("sector", (await clients.AddAsync(Spec("https://a.test/cb", "https://b.test/cb"), "tests", CancellationToken.None)).Field);
        Assert.Equal("scopes", (await clients.AddAsync(Spec("https://a.test/cb") with { Scopes = ["email"] }, "tests", CancellationToken.None)).Field);
        Assert.Equal("client_secret", (await clients.AddAsync(Spec("https://a.test/cb") with { ClientSecret = "short" }, "tests", CancellationToken.None)).Field);
        Assert.True((await clients.AddAsync(Spec("https://a.test/cb", "http://127.0.0.1:8080/cb") with { Sector = "a.test" }, "tests", CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task A_code_from_one_node_is_redeemed_at_another_whose_refresh_and_userinfo_work_too()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        var request = OidcDriver.Request(clientId, "openid profile offline_access");
        using var browser = new HubWebClient(hub.BaseAddress);
        var code = OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query))["code"];

        var (node, other) = await hub.StartSecondNodeAsync();
        await using (node)
        using (other)
        {
            async Task<JsonElement> PostAsync(Dictionary<string, string> form)
            {
                using var answer = await other.PostAsync("/connect/token", new FormUrlEncodedContent(form));
                var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Clone();
                Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
                return body;
            }

            var tokens = await PostAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = OidcDriver.Callback, ["client_id"] = clientId, ["code_verifier"] = request.Verifier });
            var idToken = await OidcDriver.ValidateIdTokenAsync(hub, tokens.GetProperty("id_token").GetString()!, clientId, request.Nonce);
            var refreshed = await PostAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["client_id"] = clientId });
            using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
            userinfo.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", refreshed.GetProperty("access_token").GetString());
            using var claims = await other.SendAsync(userinfo);
            Assert.Equal(HttpStatusCode.OK, claims.StatusCode);
            Assert.Equal(idToken.Subject, JsonDocument.Parse(await claims.Content.ReadAsStringAsync()).RootElement.GetProperty("sub").GetString());
            await node.StopAsync();
        }
    }

    [Fact]
    public async Task A_logout_without_this_sessions_id_token_is_confirmed_by_the_citizen_and_a_forged_confirmation_changes_nothing()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var request = OidcDriver.Request(clientId);
        var code = OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query))["code"];
        var tokens = (await OidcDriver.RedeemAsync(hub, clientId, code, request.Verifier)).Body;
        var logout = "/connect/logout?client_id=" + clientId + "&post_logout_redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:9/signed-out") + "&state=xyz";

        var asked = await browser.GetAsync(logout);
        Assert.Equal(HttpStatusCode.Redirect, asked.Status);
        Assert.StartsWith("/sign-out/confirm?", asked.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).Status);
        // Another site's form posting confirm=yes has no antiforgery token: the citizen is asked again, still signed in.
        var forged = await browser.PostAsync("/connect/logout", new Dictionary<string, string> { ["client_id"] = clientId, ["confirm"] = "yes" }, token: null);
        Assert.StartsWith("/sign-out/confirm", forged.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).Status);

        var page = await browser.GetAsync(asked.Location!);
        Assert.Contains("A service you used asked to sign you out", page.Body, StringComparison.Ordinal);
        var fields = new[] { "client_id", "post_logout_redirect_uri", "state", "confirm" }.ToDictionary(name => name, name => page.Hidden(name)!);
        var confirmed = await browser.PostAsync("/connect/logout", fields, HubWebClient.TokenOf(page.Body));

        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        Assert.Equal("http://127.0.0.1:9/signed-out?state=xyz", confirmed.Location);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account")).Status);
        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userinfo.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(userinfo)).StatusCode);
    }

    [Fact]
    public async Task Prompt_login_and_an_exceeded_max_age_send_a_signed_in_citizen_to_log_in_again()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        await OidcDriver.LogInAndComeBackAsync(browser, citizen, OidcDriver.Request(clientId).Query);

        var fresh = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["max_age"] = "3600" }).Query);
        Assert.True(OidcDriver.CallbackParameters(fresh).ContainsKey("code"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var tooOld = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["max_age"] = "1" }).Query);
        Assert.StartsWith("/login?level=substantial&returnUrl=", tooOld.Location, StringComparison.Ordinal);
        var login = await browser.GetAsync(OidcDriver.Request(clientId, extra: new Dictionary<string, string> { ["prompt"] = "login" }).Query);
        Assert.StartsWith("/login?level=substantial&returnUrl=", login.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt", Uri.UnescapeDataString(login.Location!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_and_oversized_parameters_get_400_never_500()
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        foreach (var query in new[]
        {
            "/connect/authorize",
            "/connect/authorize?client_id=nobody&response_type=code&redirect_uri=" + Uri.EscapeDataString(OidcDriver.Callback),
            OidcDriver.Request(clientId).Query.Replace("code_challenge_method=S256", "code_challenge_method=plain", StringComparison.Ordinal),
            QueryHelpers.AddQueryString(OidcDriver.Request(clientId).Query, "acr_values", "urn:not-a-level"),
            QueryHelpers.AddQueryString(OidcDriver.Request(clientId).Query, "response_mode", "form_post"),
            QueryHelpers.AddQueryString(OidcDriver.Request(clientId).Query, "login_hint", new string('x', 3_000)),
            QueryHelpers.AddQueryString(OidcDriver.Request(clientId).Query, "login_hint", new string('x', 20_000)),
        })
        {
            var answer = await browser.GetAsync(query);
            Assert.True(answer.Status is HttpStatusCode.BadRequest or HttpStatusCode.Redirect or HttpStatusCode.RequestUriTooLong, $"{query[..Math.Min(query.Length, 120)]}: {(int)answer.Status}");
            if (answer.Status == HttpStatusCode.Redirect)
            {
                Assert.StartsWith(OidcDriver.Callback + "?", answer.Location, StringComparison.Ordinal);
                Assert.Contains("error=", answer.Location, StringComparison.Ordinal);
            }
        }

        var token = await OidcDriver.TokenAsync(hub, new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "x", ["password"] = "y", ["client_id"] = clientId });
        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
    }
}

internal static class OidcScopesForTests
{
    public const string Profile = IdentityHub.Oidc.OidcScopes.Profile;
    public const string NationalId = IdentityHub.Oidc.OidcScopes.NationalId;
}
