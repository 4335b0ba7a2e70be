using System.Net;
using System.Text;
using System.Text.Json;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 as agencies receive it: each agency of a hub session runs a receiving
/// endpoint; when the session ends (at the hub, in the portal), each gets a logout token that verifies with the hub's
/// JWKS; a refused delivery is retried and every attempt audited; a client without a back-channel URI is skipped.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class BackChannelLogoutTests(HubFixture hub)
{
    private const string BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    [Fact]
    public async Task Logging_out_at_the_hub_delivers_a_verified_logout_token_to_every_agency_of_the_session_and_skips_one_without_a_uri()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var taxEndpoint = new LogoutReceiver();
        using var healthEndpoint = new LogoutReceiver();
        var tax = await RegisterAsync("tax.agency.test", taxEndpoint.Uri);
        var health = await RegisterAsync("health.agency.test", healthEndpoint.Uri);
        var land = await RegisterAsync("land.agency.test", backChannelLogoutUri: null);
        using var browser = new HubWebClient(hub.BaseAddress);
        var (taxRaw, taxId) = await SignInAsync(browser, citizen, tax, login: true);
        var (_, healthId) = await SignInAsync(browser, citizen, health, login: false);
        await SignInAsync(browser, citizen, land, login: false);
        Assert.Equal(taxId.GetClaim("sid").Value, healthId.GetClaim("sid").Value);

        // RP-initiated logout with this session's ID token: the hub session ends, and with it every agency's.
        var logout = await browser.GetAsync("/connect/logout?id_token_hint=" + taxRaw + "&post_logout_redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:9/signed-out"));
        Assert.Equal("http://127.0.0.1:9/signed-out", logout.Location);

        foreach (var (endpoint, clientId, idToken) in new[] { (taxEndpoint, tax, taxId), (healthEndpoint, health, healthId) })
        {
            var received = Assert.Single(await endpoint.WaitForAsync(1));
            Assert.Equal("POST", received.Method);
            Assert.StartsWith("application/x-www-form-urlencoded", received.ContentType, StringComparison.Ordinal);
            var token = await ValidateLogoutTokenAsync(received.LogoutToken!, clientId);
            Assert.Equal(idToken.GetClaim("sid").Value, token.GetClaim("sid").Value);
            Assert.Equal(idToken.Subject, token.Subject);
        }

        Assert.NotEqual(taxId.Subject, healthId.Subject);
        var delivered = (await hub.EventsAsync(citizen.Letter.NationalId)).Where(e => e.Type == "oidc.logout.delivered").Select(e => e.Details).ToList();
        Assert.Contains(delivered, d => d.Contains($"\"client\":\"{tax}\"", StringComparison.Ordinal) && d.Contains("\"status\":\"200\"", StringComparison.Ordinal));
        Assert.Contains(delivered, d => d.Contains($"\"client\":\"{health}\"", StringComparison.Ordinal) && d.Contains("\"attempt\":\"1\"", StringComparison.Ordinal));
        Assert.DoesNotContain(delivered, d => d.Contains(taxEndpoint.Requests.First().LogoutToken!, StringComparison.Ordinal));
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.Equal(0, await db.LogoutDeliveries.CountAsync(d => d.ClientId == land));
        Assert.Equal(2, await db.LogoutDeliveries.CountAsync(d => d.ClientId == tax || d.ClientId == health));
    }

    [Fact]
    public async Task A_delivery_refused_at_first_is_retried_after_a_portal_sign_out_and_both_attempts_are_audited()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var endpoint = new LogoutReceiver(500);
        var clientId = await RegisterAsync("tax.agency.test", endpoint.Uri);
        using var browser = new HubWebClient(hub.BaseAddress);
        var (_, idToken) = await SignInAsync(browser, citizen, clientId, login: true);

        // The portal's own sign-out button.
        var signedOut = await browser.SubmitAsync("/account", new Dictionary<string, string>(), "/sign-out");
        CitizenWeb.Expect(signedOut, "/login", "portal sign-out");

        var requests = await endpoint.WaitForAsync(2);
        Assert.Equal([500, 200], requests.Select(r => r.AnsweredWith).ToArray());
        var first = await ValidateLogoutTokenAsync(requests[0].LogoutToken!, clientId);
        var second = await ValidateLogoutTokenAsync(requests[1].LogoutToken!, clientId);
        Assert.Equal(idToken.GetClaim("sid").Value, second.GetClaim("sid").Value);
        Assert.NotEqual(first.Id, second.Id);
        var events = (await hub.EventsAsync(citizen.Letter.NationalId)).Where(e => e.Type.StartsWith("oidc.logout.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["oidc.logout.failed", "oidc.logout.delivered"], events.Select(e => e.Type).ToArray());
        Assert.Contains("\"attempt\":\"1\"", events[0].Details, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"500\"", events[0].Details, StringComparison.Ordinal);
        Assert.Contains("\"attempt\":\"2\"", events[1].Details, StringComparison.Ordinal);
        Assert.Contains($"\"session\":\"{idToken.GetClaim("sid").Value}\"", events[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portal_lists_the_agencies_of_each_session_and_ending_a_session_there_tells_them()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var endpoint = new LogoutReceiver();
        var clientId = await RegisterAsync("tax.agency.test", endpoint.Uri);
        using var phone = new HubWebClient(hub.BaseAddress);
        var (_, idToken) = await SignInAsync(phone, citizen, clientId, login: true);
        var phoneSession = idToken.GetClaim("sid").Value;
        using var laptop = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await citizen.LoginAsync(laptop), "/account", "laptop");

        var page = (await laptop.GetAsync("/account")).Body;
        var phoneRow = RowOf(page, phoneSession);
        Assert.Contains("Agency " + clientId, phoneRow, StringComparison.Ordinal);
        Assert.Contains("Signing out of a session also signs you out of the services you used in it", page, StringComparison.Ordinal);
        var ended = await laptop.SubmitAsync("/account", new Dictionary<string, string> { ["SessionId"] = phoneSession }, "/account?handler=EndSession");
        CitizenWeb.Expect(ended, "/account", "end session");

        var received = Assert.Single(await endpoint.WaitForAsync(1));
        var token = await ValidateLogoutTokenAsync(received.LogoutToken!, clientId);
        Assert.Equal(phoneSession, token.GetClaim("sid").Value);
        Assert.Equal(idToken.Subject, token.Subject);
        Assert.DoesNotContain("Agency " + clientId, (await laptop.GetAsync("/account")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idle_session_nobody_comes_back_to_is_ended_by_the_worker_and_its_agency_told()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var endpoint = new LogoutReceiver();
        var clientId = await RegisterAsync("tax.agency.test", endpoint.Uri);
        using var browser = new HubWebClient(hub.BaseAddress);
        var (_, idToken) = await SignInAsync(browser, citizen, clientId, login: true);
        var sessionId = Guid.Parse(idToken.GetClaim("sid").Value);

        // The citizen walked away an hour ago (idle timeout: 30 minutes), and their browser never comes back.
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, DateTimeOffset.UtcNow.AddHours(-1)));
        }

        // No request from the citizen: the worker's poll finds the lapsed session, ends it and tells the agency.
        var received = Assert.Single(await endpoint.WaitForAsync(1));
        var token = await ValidateLogoutTokenAsync(received.LogoutToken!, clientId);
        Assert.Equal(sessionId.ToString(), token.GetClaim("sid").Value);
        Assert.Equal(idToken.Subject, token.Subject);
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var session = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Sessions.AsNoTracking().SingleAsync(s => s.Id == sessionId);
            Assert.Equal("idle", session.EndReason);
            Assert.NotNull(session.EndedAt);
        }

        var delivered = Assert.Single(await hub.EventsAsync(citizen.Letter.NationalId), e => e.Type == "oidc.logout.delivered");
        Assert.Contains($"\"client\":\"{clientId}\"", delivered.Details, StringComparison.Ordinal);
        Assert.Contains($"\"session\":\"{sessionId}\"", delivered.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_backchannel_logout_uri_is_refused_naming_the_field_and_a_good_one_is_shown()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var clients = scope.ServiceProvider.GetRequiredService<OidcClients>();
        OidcClientSpec Spec(string logout) => new()
        {
            ClientId = "bcl-" + Guid.NewGuid().ToString("N")[..6], DisplayName = "Agency", RedirectUris = ["https://agency.test/cb"], BackChannelLogoutUri = logout,
        };

        foreach (var bad in new[] { "http://agency.test/logout", "https://agency.test/logout#x", "/logout", "ftp://agency.test/logout", "not a uri" })
        {
            var result = await clients.AddAsync(Spec(bad), "tests", CancellationToken.None);
            Assert.Equal("backchannel_logout_uri", result.Field);
            Assert.StartsWith(bad + ": ", result.Problem, StringComparison.Ordinal);
        }

        var good = Spec("https://agency.test/logout?from=hub");
        Assert.True((await clients.AddAsync(good, "tests", CancellationToken.None)).Succeeded);
        Assert.True((await clients.AddAsync(Spec("http://127.0.0.1:8080/logout"), "tests", CancellationToken.None)).Succeeded);
        Assert.Equal("https://agency.test/logout?from=hub", (await clients.FindAsync(good.ClientId, CancellationToken.None))!.BackChannelLogoutUri);
    }

    [Fact]
    public async Task Discovery_advertises_back_channel_logout_with_sid()
    {
        var discovery = JsonDocument.Parse(await hub.Http.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        Assert.True(discovery.GetProperty("backchannel_logout_supported").GetBoolean());
        Assert.True(discovery.GetProperty("backchannel_logout_session_supported").GetBoolean());
    }

    private async Task<string> RegisterAsync(string sector, string? backChannelLogoutUri)
    {
        var clientId = "agency-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = hub.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
            GovernmentService = true,
            ClientId = clientId,
            DisplayName = "Agency " + clientId,
            RedirectUris = [OidcDriver.Callback],
            PostLogoutRedirectUris = ["http://127.0.0.1:9/signed-out"],
            Scopes = [OidcScopes.Profile],
            Sector = sector,
            BackChannelLogoutUri = backChannelLogoutUri,
        }, "tests", CancellationToken.None);
        Assert.True(result.Succeeded, result.Problem);
        return clientId;
    }

    /// <summary>An authorization for the client in this browser (logging in first, or from the hub session); the ID token raw and validated.</summary>
    private async Task<(string Raw, JsonWebToken IdToken)> SignInAsync(HubWebClient browser, ActivatedCitizen citizen, string clientId, bool login)
    {
        var request = OidcDriver.Request(clientId);
        var page = login ? await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query) : await browser.GetAsync(request.Query);
        var code = OidcDriver.CallbackParameters(page)["code"];
        var (status, tokens) = await OidcDriver.RedeemAsync(hub, clientId, code, request.Verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        var raw = tokens.GetProperty("id_token").GetString()!;
        return (raw, await OidcDriver.ValidateIdTokenAsync(hub, raw, clientId, request.Nonce));
    }

    /// <summary>Verifies a logout token as Back-Channel Logout 1.0 §2.6 tells a relying party to, with the hub's JWKS.</summary>
    private async Task<JsonWebToken> ValidateLogoutTokenAsync(string logoutToken, string clientId)
    {
        var discovery = JsonDocument.Parse(await hub.Http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        var jwks = new JsonWebKeySet(await hub.Http.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!)));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(logoutToken, new TokenValidationParameters
        {
            ValidIssuer = discovery.GetProperty("issuer").GetString(),
            ValidAudience = clientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = ["logout+jwt"],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("logout+jwt", token.Typ);
        var payload = JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.EncodedPayload))).RootElement;
        var logoutEvent = payload.GetProperty("events").GetProperty(BackChannelLogoutEvent);
        Assert.Equal(JsonValueKind.Object, logoutEvent.ValueKind);
        Assert.Empty(logoutEvent.EnumerateObject());
        Assert.False(payload.TryGetProperty("nonce", out _));
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.True(payload.TryGetProperty("iat", out _));
        Assert.InRange(token.ValidTo - token.IssuedAt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.False(string.IsNullOrEmpty(token.GetClaim("sid").Value));
        Assert.Equal(43, token.Subject.Length);
        return token;
    }

    private static string RowOf(string page, string sessionId)
    {
        var start = page.IndexOf($"data-session=\"{sessionId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for session {sessionId}");
        return page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }
}
