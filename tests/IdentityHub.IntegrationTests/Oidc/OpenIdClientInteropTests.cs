using System.Net;
using System.Text.Json.Nodes;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Testing.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// npm's openid-client, a certified relying party nobody here wrote, against the hub: discovery, authorization code with
/// PKCE S256, RFC 9207 iss, nonce and the ID token's signature against the JWKS (its non-repudiation checks on),
/// userinfo, refresh with rotation, RP-initiated logout, and client credentials with client_secret_basic.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class OpenIdClientInteropTests(HubFixture hub)
{
    [Fact]
    public async Task Openid_client_logs_a_citizen_in_refreshes_and_logs_out_with_all_its_checks_passing()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        var client = OpenIdClientRp.Client(hub, clientId);
        using var browser = new HubWebClient(hub.BaseAddress);

        var started = (await OpenIdClientRp.RunAsync("start", client.With(
            ("redirectUri", OidcDriver.Callback), ("scope", "openid profile offline_access"), ("usePar", false), ("dpop", false)))).Ok();
        var authorize = new Uri(started["authorizationUrl"]!.GetValue<string>());
        Assert.Equal(hub.BaseAddress.Authority, authorize.Authority);
        var back = await OidcDriver.LogInAndComeBackAsync(browser, citizen, authorize.PathAndQuery);
        var done = (await OpenIdClientRp.RunAsync("callback", client.With(("callbackUrl", back.Location), ("state", started["state"])))).Ok();

        var claims = done["idTokenClaims"]!.AsObject();
        Assert.Equal("http://eidas.europa.eu/LoA/substantial", claims["acr"]!.GetValue<string>());
        Assert.Equal(hub.BaseAddress.ToString(), claims["iss"]!.GetValue<string>());
        Assert.Equal(claims["sub"]!.GetValue<string>(), done["userinfo"]!["sub"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(done["userinfo"]!["given_name"]?.GetValue<string>()));
        var firstRefresh = done["refreshToken"]!.GetValue<string>();

        var refreshed = (await OpenIdClientRp.RunAsync("refresh", client.With(("state", done["state"])))).Ok();
        Assert.NotEqual(firstRefresh, refreshed["refreshToken"]!.GetValue<string>());
        Assert.NotEqual(done["accessToken"]!.GetValue<string>(), refreshed["accessToken"]!.GetValue<string>());

        var logout = (await OpenIdClientRp.RunAsync("logout-url", client.With(("state", refreshed["state"]), ("postLogoutRedirectUri", "http://127.0.0.1:9/signed-out")))).Ok();
        var signedOut = await browser.GetAsync(new Uri(logout["url"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
        Assert.StartsWith("http://127.0.0.1:9/signed-out", signedOut.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account")).Status);

        // The hub session is over: the refresh token it gave no longer works.
        var afterLogout = await OpenIdClientRp.RunAsync("refresh", client.With(("state", refreshed["state"])));
        Assert.Equal(1, afterLogout.ExitCode);
        Assert.Equal("invalid_grant", afterLogout.Error);
    }

    [Fact]
    public async Task Openid_client_gets_a_client_credentials_token_with_client_secret_basic_and_a_wrong_secret_is_refused()
    {
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var clientId = "backend-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<IdentityHub.Oidc.OidcClients>().AddAsync(new IdentityHub.Oidc.OidcClientSpec
            {
                ClientId = clientId,
                DisplayName = "Tax back-end",
                ClientSecret = secret,
                AllowClientCredentials = true,
            }, "tests", CancellationToken.None);
            Assert.True(added.Succeeded, added.Problem);
        }

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<IdentityHub.Data.HubDbContext>()
                .Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>()
                .Where(a => a.ClientId == clientId).Select(a => a.ClientSecret).SingleAsync();
            Assert.False(string.IsNullOrEmpty(stored));
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal); // a salted hash, never the secret
        }

        var token = (await OpenIdClientRp.RunAsync("client-credentials", OpenIdClientRp.Client(hub, clientId, secret))).Ok();
        Assert.Equal("bearer", token["tokenType"]!.GetValue<string>().ToLowerInvariant());

        var wrong = await OpenIdClientRp.RunAsync("client-credentials", OpenIdClientRp.Client(hub, clientId, secret[..^4] + "AAAA"));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("invalid_client", wrong.Error);
    }

    [Fact]
    public async Task Openid_client_authenticates_with_private_key_jwt_as_it_sends_it_and_a_replayed_or_foreign_assertion_is_refused()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        static JsonObject Jwk(System.Security.Cryptography.ECDsa ecdsa, bool withPrivate)
        {
            var p = ecdsa.ExportParameters(withPrivate);
            var jwk = new JsonObject
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = "agency-key-1",
                ["x"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Q.X), ["y"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Q.Y),
            };
            if (withPrivate)
            {
                jwk["d"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.D);
            }

            return jwk;
        }

        var clientId = "jwt-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<IdentityHub.Oidc.OidcClients>().AddAsync(new IdentityHub.Oidc.OidcClientSpec
            {
                ClientId = clientId,
                DisplayName = "Land registry back-end",
                Jwks = new JsonObject { ["keys"] = new JsonArray(Jwk(key, withPrivate: false)) }.ToJsonString(),
                AllowClientCredentials = true,
            }, "tests", CancellationToken.None);
            Assert.True(added.Succeeded, added.Problem);
        }

        // openid-client sends no typ header on its client assertion and puts the issuer in aud.
        var asItIs = await OpenIdClientRp.RunAsync("client-credentials", OpenIdClientRp.Client(hub, clientId).With(("privateJwk", Jwk(key, withPrivate: true))));
        asItIs.Ok();
        var foreign = await OpenIdClientRp.RunAsync("client-credentials", OpenIdClientRp.Client(hub, clientId).With(("privateJwk", Jwk(stranger, withPrivate: true))));
        Assert.Equal("invalid_client", foreign.Error);
        // A JWT of another kind signed by the client (a DPoP proof, say) is no client assertion.
        var dpopTyped = await OpenIdClientRp.RunAsync("client-credentials", OpenIdClientRp.Client(hub, clientId).With(("privateJwk", Jwk(key, withPrivate: true)), ("clientAssertionTyp", "dpop+jwt")));
        Assert.Equal("invalid_client", dpopTyped.Error);

        // One assertion, sent twice: its jti is accepted once (RFC 7523 §3, item 7).
        var assertion = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = hub.BaseAddress.ToString(),
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            Expires = DateTime.UtcNow.AddMinutes(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.ECDsaSecurityKey(key) { KeyId = "agency-key-1" }, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha256),
        });
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        };
        Assert.Equal(HttpStatusCode.OK, (await OidcDriver.TokenAsync(hub, form)).Status);
        var replayed = await OidcDriver.TokenAsync(hub, form);
        Assert.Equal("invalid_client", replayed.Body.GetProperty("error").GetString());
    }
}
