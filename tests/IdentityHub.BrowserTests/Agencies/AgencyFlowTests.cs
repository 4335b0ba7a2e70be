using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityHub.Oidc;
using IdentityHub.Testing.Oidc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Agencies;

/// <summary>
/// Issue 9's acceptance, end to end: real relying parties (npm's openid-client, every check of its own on) send the
/// citizen's real browser (Debian's Chromium, every hub page scanned with axe) to the hub, where the citizen types a
/// password and a TOTP code or uses a passkey from Chromium's virtual authenticator, and back.
/// </summary>
public sealed class AgencyFlowTests(AgencyHubFixture hub, AgencySite site, Chromium chromium)
    : IClassFixture<AgencyHubFixture>, IClassFixture<AgencySite>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";
    private const string Substantial = "http://eidas.europa.eu/LoA/substantial";
    private const string High = "http://eidas.europa.eu/LoA/high";

    [Fact]
    public async Task Openid_client_as_a_FAPI_2_agency_signs_the_citizen_in_through_Chromium_refreshes_and_logs_out()
    {
        var (session, letter, _) = await ActivatedAndSignedOutAsync();
        await using (session)
        {
            using var key = new AgencyKey();
            var tax = await Agency.RegisterAsync(hub, site, "tax.example",
                spec => spec with { Profile = OidcClientProfiles.Fapi2, Scopes = [OidcScopes.Profile, OidcScopes.OfflineAccess] }, key);

            // PAR with private_key_jwt and a DPoP proof: the browser carries only client_id and request_uri.
            var (authorize, state) = await tax.StartAsync("openid profile offline_access", fapi: true);
            Assert.StartsWith(hub.Issuer + "connect/authorize?", authorize, StringComparison.Ordinal);
            Assert.Equal(["client_id", "request_uri"], QueryHelpers.ParseQuery(new Uri(authorize).Query).Keys.Order(StringComparer.Ordinal));

            await session.GoToAsync(authorize);
            Assert.Equal("/login", session.PathNow);
            await ScreenshotAsync(session, "agency-login.png");
            await SignInOnTheLoginPageAsync(session, letter, tax);

            // openid-client checks iss (RFC 9207), state, PKCE, nonce, the ID token's signature against the JWKS, userinfo's sub.
            var done = await tax.CallbackAsync(session.Page.Url, state);
            Assert.Equal("dpop", done["tokenType"]!.GetValue<string>());
            var claims = done["idTokenClaims"]!.AsObject();
            Assert.Equal(hub.Issuer.ToString(), claims["iss"]!.GetValue<string>());
            Assert.Equal(Substantial, claims["acr"]!.GetValue<string>());
            Assert.Equal(claims["sub"]!.GetValue<string>(), done["userinfo"]!["sub"]!.GetValue<string>());
            Assert.Equal("Žofia", done["userinfo"]!["given_name"]!.GetValue<string>());
            // The access token is bound to the key openid-client made for DPoP (RFC 9449 §6.1: cnf.jkt), not to a bearer.
            var dpopKey = done["state"]!["dpop"]!["publicJwk"]!;
            Assert.Equal(Thumbprint(dpopKey), Payload(done["accessToken"]!.GetValue<string>())["cnf"]!["jkt"]!.GetValue<string>());

            var refreshed = (await OpenIdClientRp.RunAsync("refresh", tax.Client.With(("state", done["state"])))).Ok();
            Assert.Equal("dpop", refreshed["tokenType"]!.GetValue<string>());
            Assert.NotEqual(done["refreshToken"]!.GetValue<string>(), refreshed["refreshToken"]!.GetValue<string>());
            Assert.NotEqual(done["accessToken"]!.GetValue<string>(), refreshed["accessToken"]!.GetValue<string>());

            // RP-initiated logout: the browser follows the end-session URL and lands on the agency's registered page.
            var logout = (await OpenIdClientRp.RunAsync("logout-url",
                tax.Client.With(("state", refreshed["state"]), ("postLogoutRedirectUri", tax.SignedOutUri)))).Ok()["url"]!.GetValue<string>();
            Assert.StartsWith(hub.Issuer + "connect/logout?", logout, StringComparison.Ordinal);
            await session.Page.GotoAsync(logout);
            Assert.Equal(tax.SignedOutUri, session.Page.Url.Split('?')[0]);

            // The hub session is gone: the account page wants a login, and the grant it gave no longer refreshes.
            await session.GoToAsync("/account");
            Assert.Equal("/login", session.PathNow);
            var afterLogout = await OpenIdClientRp.RunAsync("refresh", tax.Client.With(("state", refreshed["state"])));
            Assert.Equal(1, afterLogout.ExitCode);
            Assert.Equal("invalid_grant", afterLogout.Error);
        }
    }

    [Fact]
    public async Task One_login_serves_a_second_agency_without_a_page_with_its_own_sub_and_step_up_to_high_asks_only_for_the_passkey()
    {
        var (session, letter, passkeys) = await ActivatedAndSignedOutAsync(passkey: true);
        await using (session)
        {
            Assert.Single(passkeys);
            var registry = await Agency.RegisterAsync(hub, site, "a.example", spec => spec with { Scopes = [OidcScopes.Profile, OidcScopes.NationalId] });
            var health = await Agency.RegisterAsync(hub, site, "b.example");
            var navigations = new ConcurrentQueue<Uri>();
            session.Page.Request += (_, request) =>
            {
                if (request.IsNavigationRequest)
                {
                    navigations.Enqueue(new Uri(request.Url));
                }
            };

            // Agency A, at substantial: the login page, password and TOTP.
            var (toA, stateA) = await registry.StartAsync("openid profile national_id", acrValues: Substantial);
            await session.GoToAsync(toA);
            await SignInOnTheLoginPageAsync(session, letter, registry);
            var a = await registry.CallbackAsync(session.Page.Url, stateA);
            var claimsA = a["idTokenClaims"]!.AsObject();
            Assert.Equal(Substantial, claimsA["acr"]!.GetValue<string>());
            Assert.Equal(letter.NationalId, claimsA[OidcClaims.NationalId]!.GetValue<string>());
            Assert.Equal(letter.NationalId, a["userinfo"]![OidcClaims.NationalId]!.GetValue<string>());

            // Agency B, another sector, in the same browser: straight back to B with a code, no hub page on the way.
            navigations.Clear();
            var (toB, stateB) = await health.StartAsync("openid profile");
            await session.Page.GotoAsync(toB);
            Assert.True(health.IsCallback(session.Page.Url), session.Page.Url);
            var hubPaths = navigations.Where(u => u.Authority == hub.Issuer.Authority).Select(u => u.AbsolutePath).ToList();
            Assert.Equal(["/connect/authorize"], hubPaths);
            Assert.Equal(2, navigations.Count); // the authorization request and B's redirect URI
            var b = await health.CallbackAsync(session.Page.Url, stateB);
            var claimsB = b["idTokenClaims"]!.AsObject();
            Assert.Equal(Substantial, claimsB["acr"]!.GetValue<string>());
            Assert.Equal(claimsA["sid"]!.GetValue<string>(), claimsB["sid"]!.GetValue<string>()); // one hub session
            Assert.Equal(claimsA["given_name"]!.GetValue<string>(), claimsB["given_name"]!.GetValue<string>()); // one citizen
            Assert.NotEqual(claimsA["sub"]!.GetValue<string>(), claimsB["sub"]!.GetValue<string>()); // pairwise per sector
            // B is not entitled to the national identifier: neither its ID token nor its userinfo carries it, by name or value.
            Assert.False(claimsB.ContainsKey(OidcClaims.NationalId));
            Assert.False(b["userinfo"]!.AsObject().ContainsKey(OidcClaims.NationalId));
            Assert.DoesNotContain(letter.NationalId, claimsB.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(letter.NationalId, b["userinfo"]!.ToJsonString(), StringComparison.Ordinal);

            // A asks for high: the substantial session is stepped up with the passkey alone.
            await session.PutPasskeysAsync(passkeys);
            var (toHigh, stateHigh) = await registry.StartAsync("openid", acrValues: High);
            await session.GoToAsync(toHigh);
            Assert.Equal("/login/verify", session.PathNow);
            await ScreenshotAsync(session, "agency-step-up.png");
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm it is you again");
            await Assertions.Expect(session.Page.GetByLabel("Password")).ToHaveCountAsync(0);
            await Assertions.Expect(session.Page.GetByLabel("National ID")).ToHaveCountAsync(0);
            await Assertions.Expect(session.Page.GetByLabel("6-digit code")).ToHaveCountAsync(0);
            await session.Page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey", Exact = true }).ClickAsync();
            await BackAtAsync(session, registry);
            var high = await registry.CallbackAsync(session.Page.Url, stateHigh);
            var claimsHigh = high["idTokenClaims"]!.AsObject();
            Assert.Equal(High, claimsHigh["acr"]!.GetValue<string>());
            Assert.Equal(claimsA["sub"]!.GetValue<string>(), claimsHigh["sub"]!.GetValue<string>());
            Assert.Equal(claimsA["sid"]!.GetValue<string>(), claimsHigh["sid"]!.GetValue<string>());
        }
    }

    /// <summary>
    /// A citizen activated with the letter, with TOTP (and a passkey accepted for high, if asked), signed out. The passkey
    /// is taken out of the authenticator before the sign-out lands on /login: Chromium's virtual authenticator answers
    /// that page's conditional (autofill) request by itself, and would sign the citizen straight back in.
    /// </summary>
    private async Task<(BrowserSession Session, CitizenLetter Letter, IReadOnlyList<JsonElement> Passkeys)> ActivatedAndSignedOutAsync(bool passkey = false)
    {
        IReadOnlyList<JsonElement> passkeys = [];
        var letter = await hub.IssueCitizenAsync("Žofia");
        var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.ActivateAsync(letter, Password);
        await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
        if (passkey)
        {
            await session.GoToAsync("/account/passkey");
            await session.CreatePasskeyAsync("Security key");
            Assert.Equal("/account", session.PathNow);
            await Assertions.Expect(session.Page.Locator("#message")).ToContainTextAsync("It is accepted for level high");
            passkeys = await session.TakePasskeysAsync();
        }

        await session.SignOutAsync();
        Assert.Equal("/login", session.PathNow);
        return (session, letter, passkeys);
    }

    /// <summary>On the login page an agency sent the browser to: national id and password, then the TOTP code.</summary>
    private static async Task SignInOnTheLoginPageAsync(BrowserSession session, CitizenLetter letter, Agency agency)
    {
        Assert.Equal("/login", session.PathNow);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in with your national eID");
        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(letter.NationalId);
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await session.ClickAsync("Continue");
        Assert.Equal("/login/verify", session.PathNow);
        await session.Page.GetByLabel("6-digit code", new() { Exact = true }).FillAsync(session.NextCode(letter.NationalId));
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        await BackAtAsync(session, agency);
    }

    /// <summary>
    /// Waits until the browser is at the agency's redirect URI (the hub's pages in between send it on by themselves), and
    /// checks that no page on the way broke the Content-Security-Policy (a form-action refusal would show there).
    /// </summary>
    private static async Task BackAtAsync(BrowserSession session, Agency agency)
    {
        try
        {
            await session.Page.WaitForURLAsync(agency.IsCallback, new() { WaitUntil = WaitUntilState.Load });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The browser stayed at {session.Page.Url}: {await session.Page.Locator("body").InnerTextAsync()}");
        }

        await session.CheckPageAsync();
    }

    /// <summary>With IDENTITYHUB_SCREENSHOTS set to a folder, keeps a picture of the page for a person to look at.</summary>
    private static async Task ScreenshotAsync(BrowserSession session, string name)
    {
        if (Environment.GetEnvironmentVariable("IDENTITYHUB_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await session.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
        }
    }

    private static JsonNode Payload(string jwt) => JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!;

    /// <summary>RFC 7638 thumbprint of an EC public JWK.</summary>
    private static string Thumbprint(JsonNode jwk)
    {
        var canonical = $"{{\"crv\":\"{jwk["crv"]}\",\"kty\":\"{jwk["kty"]}\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}";
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
