using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityHub.Oidc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// A relying party written from the specifications (OpenID Connect Core, RFC 6749, RFC 7636) for the hub's own tests:
/// it builds authorization requests with PKCE S256, follows the hub's redirects with a citizen's browser
/// (<see cref="HubWebClient"/>), redeems codes and checks ID tokens against the JWKS the discovery document names.
/// The independent relying parties (npm's openid-client) are in tests/interop.
/// </summary>
internal static class OidcDriver
{
    public const string Callback = "http://127.0.0.1:9/callback";

    public sealed record Pending(string Query, string State, string Nonce, string Verifier);

    /// <summary>
    /// Registers a client. By default a government service, which citizens are not asked to consent to: the tests of
    /// consent (ConsentTests) register with <paramref name="governmentService"/> false.
    /// </summary>
    public static async Task<string> RegisterAsync(HubFixture hub, string sector, IReadOnlyList<string>? scopes = null, string? secret = null, string? redirectUri = null,
        string? signingAlgorithm = null, bool governmentService = true, string? backChannelLogoutUri = null)
    {
        var clientId = "agency-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = hub.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
            ClientId = clientId,
            DisplayName = "Agency " + clientId,
            ClientSecret = secret,
            RedirectUris = [redirectUri ?? Callback],
            PostLogoutRedirectUris = ["http://127.0.0.1:9/signed-out"],
            Scopes = scopes ?? [OidcScopes.Profile, OidcScopes.OfflineAccess],
            Sector = sector,
            SigningAlgorithm = signingAlgorithm,
            GovernmentService = governmentService,
            BackChannelLogoutUri = backChannelLogoutUri,
        }, "tests", CancellationToken.None);
        Assert.True(result.Succeeded, result.Problem);
        return clientId;
    }

    public static Pending Request(string clientId, string scope = "openid profile", IReadOnlyDictionary<string, string>? extra = null, string redirectUri = Callback)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var nonce = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            parameters[key] = value;
        }

        return new Pending(QueryHelpers.AddQueryString("/connect/authorize", parameters), state, nonce, verifier);
    }

    /// <summary>Signs the citizen in where the authorization request sent the browser, and returns the callback redirect.</summary>
    public static async Task<WebPage> LogInAndComeBackAsync(HubWebClient browser, ActivatedCitizen citizen, string authorize)
    {
        var login = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, login.Status);
        Assert.StartsWith("/login?level=substantial&returnUrl=", login.Location, StringComparison.Ordinal);
        var password = await browser.SubmitAsync(login.Location!, new Dictionary<string, string> { ["NationalId"] = citizen.Letter.NationalId, ["Password"] = citizen.Password });
        CitizenWeb.Expect(password, "/login/verify", "password");
        var verified = await browser.TotpAsync(citizen.NextCode());
        Assert.Equal(HttpStatusCode.Redirect, verified.Status);
        Assert.StartsWith("/connect/authorize?", verified.Location, StringComparison.Ordinal);
        return await OidcDriver.FollowAsync(browser, verified.Location!);
    }

    /// <summary>Follows the hub's redirects from <paramref name="path"/> while they stay on the hub; returns the first that leaves it.</summary>
    public static async Task<WebPage> FollowAsync(HubWebClient browser, string path)
    {
        var page = await browser.GetAsync(path);
        for (var hops = 0; page.Status == HttpStatusCode.Redirect && page.Location is { } next && next.StartsWith('/') && hops < 10; hops++)
        {
            page = await browser.GetAsync(next);
        }

        return page;
    }

    /// <summary>The code and the other parameters of a redirect to the callback; fails when it went elsewhere.</summary>
    public static Dictionary<string, string> CallbackParameters(WebPage page)
    {
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith(Callback + "?", page.Location, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(new Uri(page.Location!).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(HubFixture hub, IReadOnlyDictionary<string, string> form, (string Id, string Secret)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            var pair = Uri.EscapeDataString(credentials.Id) + ":" + Uri.EscapeDataString(credentials.Secret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        using var response = await hub.Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(HubFixture hub, string clientId, string code, string verifier) =>
        TokenAsync(hub, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = Callback,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        });

    /// <summary>Validates an ID token as a relying party must (Core §3.1.3.7): signature by a JWKS key, iss, aud, exp, nonce.</summary>
    public static async Task<JsonWebToken> ValidateIdTokenAsync(HubFixture hub, string idToken, string clientId, string nonce, string algorithm = SecurityAlgorithms.EcdsaSha256)
    {
        var discovery = JsonDocument.Parse(await hub.Http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        var issuer = discovery.GetProperty("issuer").GetString()!;
        var jwks = new JsonWebKeySet(await hub.Http.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!)));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = clientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [algorithm],
            RequireSignedTokens = true,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal(nonce, token.GetClaim("nonce").Value);
        return token;
    }
}
