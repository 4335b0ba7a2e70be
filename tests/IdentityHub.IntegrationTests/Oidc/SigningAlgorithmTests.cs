using System.Net;
using System.Text.Json;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Oidc;
using IdentityHub.Oidc.SigningKeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// ID tokens signed with the algorithm each client registered (ES256 by default, PS256 or RS256) by the HSM keys the
/// JWKS publishes, and the hub's own acceptance of tokens it signed before a rotation (decision 0018).
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SigningAlgorithmTests(HubFixture hub)
{
    [Fact]
    public async Task A_PS256_client_gets_a_PS256_ID_token_and_an_RS256_client_an_RS256_one_both_verified_with_the_JWKS()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var pss = await OidcDriver.RegisterAsync(hub, "tax.agency.test", signingAlgorithm: "PS256");
        var pkcs1 = await OidcDriver.RegisterAsync(hub, "tax.agency.test", signingAlgorithm: "RS256");
        using var browser = new HubWebClient(hub.BaseAddress);
        var first = OidcDriver.Request(pss);
        var code = OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, first.Query))["code"];
        var tokens = (await OidcDriver.RedeemAsync(hub, pss, code, first.Verifier)).Body;

        var idToken = await OidcDriver.ValidateIdTokenAsync(hub, tokens.GetProperty("id_token").GetString()!, pss, first.Nonce, SecurityAlgorithms.RsaSsaPssSha256);
        Assert.Equal("PS256", idToken.Alg);
        var jwk = (await JwksAsync()).Keys.Single(k => k.Kid == idToken.Kid);
        Assert.Equal("RSA", jwk.Kty);
        Assert.True(Base64UrlEncoder.DecodeBytes(jwk.N).Length >= 384, "the RSA key is shorter than 3072 bits");
        // Access tokens are for resource servers, whatever the client: always ES256.
        Assert.Equal("ES256", new JsonWebToken(tokens.GetProperty("access_token").GetString()).Alg);

        var second = OidcDriver.Request(pkcs1);
        var secondCode = OidcDriver.CallbackParameters(await browser.GetAsync(second.Query))["code"];
        var rs256 = await OidcDriver.ValidateIdTokenAsync(hub, (await OidcDriver.RedeemAsync(hub, pkcs1, secondCode, second.Verifier)).Body.GetProperty("id_token").GetString()!,
            pkcs1, second.Nonce, SecurityAlgorithms.RsaSha256);
        Assert.Equal("RS256", rs256.Alg);
        Assert.Equal(idToken.Kid, rs256.Kid);
        Assert.Contains("\"signingAlg\":\"PS256\"", await Authentication.AuditProbe.LastAsync(hub, pss, "oidc.client.added"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_asking_for_another_algorithm_is_refused_naming_signing_alg()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
            GovernmentService = true,
            ClientId = "hs-" + Guid.NewGuid().ToString("N")[..6], DisplayName = "HS", RedirectUris = [OidcDriver.Callback], SigningAlgorithm = "HS256",
        }, "tests", CancellationToken.None);

        Assert.Equal("signing_alg", result.Field);
        var none = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
            GovernmentService = true,
            ClientId = "none-" + Guid.NewGuid().ToString("N")[..6], DisplayName = "None", RedirectUris = [OidcDriver.Callback], SigningAlgorithm = "none",
        }, "tests", CancellationToken.None);
        Assert.Equal("signing_alg", none.Field);
    }

    [Fact]
    public async Task Tokens_signed_before_a_rotation_still_work_at_userinfo_and_as_id_token_hint_after_it()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        using var browser = new HubWebClient(hub.BaseAddress);
        var request = OidcDriver.Request(clientId);
        var code = OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, request.Query))["code"];
        var tokens = (await OidcDriver.RedeemAsync(hub, clientId, code, request.Verifier)).Body;
        var idToken = tokens.GetProperty("id_token").GetString()!;
        var oldKid = new JsonWebToken(idToken).Kid;

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var rotation = await scope.ServiceProvider.GetRequiredService<OidcSigningKeys>().RotateAsync("tests", force: true, CancellationToken.None);
            Assert.True(rotation.Succeeded, rotation.Problem);
            Assert.Contains(oldKid, rotation.Retired);
        }

        // As if Oidc:SigningKeys:Refresh had passed on this node.
        hub.App.Services.GetRequiredService<SigningKeySet>().Invalidate();
        var again = OidcDriver.Request(clientId);
        var newCode = OidcDriver.CallbackParameters(await browser.GetAsync(again.Query))["code"];
        var newIdToken = await OidcDriver.ValidateIdTokenAsync(hub, (await OidcDriver.RedeemAsync(hub, clientId, newCode, again.Verifier)).Body.GetProperty("id_token").GetString()!, clientId, again.Nonce);
        Assert.NotEqual(oldKid, newIdToken.Kid);
        await OidcDriver.ValidateIdTokenAsync(hub, idToken, clientId, request.Nonce);

        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userinfo.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.SendAsync(userinfo)).StatusCode);
        // The old ID token names this session: the hub ends it at once, without asking the citizen.
        var logout = await browser.GetAsync("/connect/logout?id_token_hint=" + idToken + "&post_logout_redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:9/signed-out"));
        Assert.Equal(HttpStatusCode.Redirect, logout.Status);
        Assert.Equal("http://127.0.0.1:9/signed-out", logout.Location);
    }

    private async Task<JsonWebKeySet> JwksAsync()
    {
        var discovery = JsonDocument.Parse(await hub.Http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        return new JsonWebKeySet(await hub.Http.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!)));
    }
}
