using System.Net;
using System.Text.Json;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Oidc;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// What happens to tokens after they are issued: introspection (RFC 7662) and revocation (RFC 7009), refresh-token
/// reuse and code reuse revoking the grant, and an operator disabling a client or rotating its secret.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class TokenLifecycleTests(HubFixture hub)
{
    private static readonly string Secret = new('s', 40);

    private async Task<(string ClientId, JsonElement Tokens)> SignInAsync(HubWebClient browser, ActivatedCitizen citizen, bool loggedIn = false)
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "land.agency.test", secret: Secret);
        var request = OidcDriver.Request(clientId, "openid profile offline_access");
        var back = loggedIn ? await OidcDriver.FollowAsync(browser, request.Query) : await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query);
        var code = OidcDriver.CallbackParameters(back)["code"];
        var (status, tokens) = await RedeemAsync(clientId, code, request.Verifier);
        Assert.True(status == HttpStatusCode.OK, tokens.ToString());
        return (clientId, tokens);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string clientId, string code, string verifier) =>
        OidcDriver.TokenAsync(hub, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = OidcDriver.Callback, ["code_verifier"] = verifier,
        }, (clientId, Secret));

    private Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string clientId, string refreshToken, string secret = "") =>
        OidcDriver.TokenAsync(hub, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken },
            (clientId, secret.Length > 0 ? secret : Secret));

    private async Task<JsonElement> IntrospectAsync(string clientId, string token, string secret = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret.Length > 0 ? secret : Secret)}")));
        using var response = await hub.Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    [Fact]
    public async Task Introspection_tells_the_agency_about_its_own_tokens_and_revocation_ends_a_refresh_token()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var browser = new HubWebClient(hub.BaseAddress);
        var (clientId, tokens) = await SignInAsync(browser, citizen);
        var accessToken = tokens.GetProperty("access_token").GetString()!;

        var active = await IntrospectAsync(clientId, accessToken);
        Assert.True(active.GetProperty("active").GetBoolean());
        Assert.Equal(clientId, active.GetProperty("client_id").GetString());
        Assert.Contains("profile", active.GetProperty("scope").GetString(), StringComparison.Ordinal);
        Assert.Equal(hub.BaseAddress.ToString(), active.GetProperty("iss").GetString());
        Assert.False(active.TryGetProperty(OidcClaims.NationalId, out _));

        // Another agency learns nothing about it.
        var (otherId, _) = await SignInAsync(browser, citizen, loggedIn: true);
        Assert.False((await IntrospectAsync(otherId, accessToken)).GetProperty("active").GetBoolean());

        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        using (var revoke = new HttpRequestMessage(HttpMethod.Post, "/connect/revoke") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refreshToken, ["token_type_hint"] = "refresh_token" }) })
        {
            revoke.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{clientId}:{Secret}")));
            using var revoked = await hub.Http.SendAsync(revoke);
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, refreshToken)).Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_reused_refresh_token_revokes_its_whole_family()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var browser = new HubWebClient(hub.BaseAddress);
        var (clientId, tokens) = await SignInAsync(browser, citizen);
        var first = tokens.GetProperty("refresh_token").GetString()!;

        var (status, second) = await RefreshAsync(clientId, first);
        Assert.Equal(HttpStatusCode.OK, status);
        var secondRefresh = second.GetProperty("refresh_token").GetString()!;
        var secondAccess = second.GetProperty("access_token").GetString()!;
        Assert.True((await IntrospectAsync(clientId, secondAccess)).GetProperty("active").GetBoolean());

        // The first refresh token again (as a thief who copied it would): refused, and the family with it.
        var reused = await RefreshAsync(clientId, first);
        Assert.Equal("invalid_grant", reused.Body.GetProperty("error").GetString());
        Assert.False(reused.Body.TryGetProperty("access_token", out _));
        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, secondRefresh)).Body.GetProperty("error").GetString());
        Assert.False((await IntrospectAsync(clientId, secondAccess)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_code_redeemed_twice_fails_and_revokes_the_tokens_of_its_first_use()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var browser = new HubWebClient(hub.BaseAddress);
        var clientId = await OidcDriver.RegisterAsync(hub, "land.agency.test", secret: Secret);
        var request = OidcDriver.Request(clientId, "openid profile offline_access");
        var code = OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query))["code"];
        var (status, tokens) = await RedeemAsync(clientId, code, request.Verifier);
        Assert.Equal(HttpStatusCode.OK, status);

        var again = await RedeemAsync(clientId, code, request.Verifier);
        Assert.Equal("invalid_grant", again.Body.GetProperty("error").GetString());
        Assert.False(again.Body.TryGetProperty("access_token", out _));
        Assert.False((await IntrospectAsync(clientId, tokens.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, tokens.GetProperty("refresh_token").GetString()!)).Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_disabled_client_is_refused_everywhere_and_its_tokens_are_revoked_and_a_rotated_secret_replaces_the_old_one()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var browser = new HubWebClient(hub.BaseAddress);
        var (clientId, tokens) = await SignInAsync(browser, citizen);

        string secret;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<OidcClients>();
            var (rotated, newSecret) = await clients.RotateSecretAsync(clientId, "tests", CancellationToken.None);
            Assert.True(rotated.Succeeded, rotated.Problem);
            secret = newSecret!;
        }

        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        Assert.Equal("invalid_client", (await RefreshAsync(clientId, refreshToken)).Body.GetProperty("error").GetString());
        var (status, refreshed) = await RefreshAsync(clientId, refreshToken, secret);
        Assert.True(status == HttpStatusCode.OK, refreshed.ToString());

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<OidcClients>();
            Assert.True((await clients.DisableAsync(clientId, "tests", CancellationToken.None)).Succeeded);
            Assert.NotNull((await clients.FindAsync(clientId, CancellationToken.None))!.DisabledAt);
        }

        var afterDisable = await RefreshAsync(clientId, refreshed.GetProperty("refresh_token").GetString()!, secret);
        Assert.Equal("invalid_client", afterDisable.Body.GetProperty("error").GetString());
        var page = await browser.GetAsync(OidcDriver.Request(clientId).Query);
        Assert.NotEqual(HttpStatusCode.Redirect, page.Status);
        Assert.Contains("invalid_client", page.Body, StringComparison.Ordinal);

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<OidcClients>();
            Assert.True((await clients.EnableAsync(clientId, "tests", CancellationToken.None)).Succeeded);
        }

        // Enabled again, its old tokens stay revoked.
        Assert.Equal("invalid_grant", (await RefreshAsync(clientId, refreshed.GetProperty("refresh_token").GetString()!, secret)).Body.GetProperty("error").GetString());
        Assert.False((await IntrospectAsync(clientId, refreshed.GetProperty("access_token").GetString()!, secret)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task An_update_is_validated_like_a_registration_names_the_bad_field_and_keeps_the_secret()
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "land.agency.test", secret: Secret);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var clients = scope.ServiceProvider.GetRequiredService<OidcClients>();
        Assert.Equal("redirect_uris", (await clients.UpdateAsync(clientId, s => s with { RedirectUris = ["http://agency.example/cb"] }, "tests", CancellationToken.None)).Field);
        Assert.Equal("profile", (await clients.UpdateAsync(clientId, s => s with { Profile = OidcClientProfiles.Fapi2 }, "tests", CancellationToken.None)).Field);
        Assert.Equal("profile", (await clients.UpdateAsync(clientId, s => s with { Profile = "fapi3" }, "tests", CancellationToken.None)).Field);
        Assert.Equal("contacts", (await clients.UpdateAsync(clientId, s => s with { Contacts = ["not an address"] }, "tests", CancellationToken.None)).Field);
        Assert.True((await clients.UpdateAsync(clientId, s => s with { DisplayName = "Land registry", RequireDpop = true, Contacts = ["it@land.agency.test"] }, "tests", CancellationToken.None)).Succeeded);

        var view = (await clients.FindAsync(clientId, CancellationToken.None))!;
        Assert.Equal("Land registry", view.DisplayName);
        Assert.True(view.RequireDpop);
        Assert.Equal("client_secret_basic", view.AuthenticationMethod);
        Assert.Equal(["it@land.agency.test"], view.Contacts);
        Assert.Equal("land.agency.test", view.Sector);
        Assert.Contains(OidcDriver.Callback, view.RedirectUris);

        // The secret still works: an update never re-hashes the stored hash.
        var credentials = await OidcDriver.TokenAsync(hub, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" }, (clientId, Secret));
        Assert.Equal("invalid_grant", credentials.Body.GetProperty("error").GetString());
    }
}
