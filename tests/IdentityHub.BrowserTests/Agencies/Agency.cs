using System.Text.Json.Nodes;
using IdentityHub.Oidc;
using IdentityHub.Testing.Oidc;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.BrowserTests.Agencies;

/// <summary>
/// A relying agency as the tests run it: a client registered at the hub, npm's openid-client as its relying party
/// (tests/interop/oidc-rp.mjs), and its redirect and logout return URIs on the agencies' loopback site (<see cref="AgencySite"/>).
/// </summary>
internal sealed record Agency(string ClientId, JsonObject Client, string RedirectUri, string SignedOutUri)
{
    /// <summary>
    /// The one place every test registers its clients: <paramref name="adjust"/> changes the standard client (public,
    /// profile scope) into what a test needs. Anything every agency needs later (consent settings) goes here.
    /// </summary>
    public static async Task<Agency> RegisterAsync(AgencyHubFixture hub, AgencySite site, string sector, Func<OidcClientSpec, OidcClientSpec>? adjust = null, AgencyKey? key = null)
    {
        var clientId = sector.Split('.')[0] + "-" + Guid.NewGuid().ToString("N")[..8];
        var redirectUri = new Uri(site.BaseAddress, $"/{clientId}/cb").ToString();
        var signedOut = new Uri(site.BaseAddress, $"/{clientId}/signed-out").ToString();
        var spec = new OidcClientSpec
        {
            GovernmentService = true,
            ClientId = clientId,
            DisplayName = "Agency of " + sector,
            RedirectUris = [redirectUri],
            PostLogoutRedirectUris = [signedOut],
            Scopes = [OidcScopes.Profile],
            Sector = sector,
            Jwks = key?.Jwks,
        };
        spec = adjust?.Invoke(spec) ?? spec;
        await using var scope = hub.App.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(spec, "tests", CancellationToken.None);
        Assert.True(added.Succeeded, added.Problem);
        var client = OpenIdClientRp.Client(hub.Issuer, clientId);
        if (key is not null)
        {
            client["privateJwk"] = key.PrivateJwk;
        }

        return new Agency(clientId, client, redirectUri, signedOut);
    }

    /// <summary>openid-client's start: the authorization URL (after PAR, when asked) and the state blob.</summary>
    public async Task<(string AuthorizationUrl, JsonNode State)> StartAsync(string scope, bool fapi = false, string? acrValues = null)
    {
        var input = Client.With(("redirectUri", RedirectUri), ("scope", scope), ("usePar", fapi), ("dpop", fapi));
        if (acrValues is not null)
        {
            input["acrValues"] = acrValues;
        }

        var started = (await OpenIdClientRp.RunAsync("start", input)).Ok();
        return (started["authorizationUrl"]!.GetValue<string>(), started["state"]!);
    }

    /// <summary>openid-client's callback: code for tokens (ID token, nonce, iss, signature checked), then userinfo.</summary>
    public async Task<JsonObject> CallbackAsync(string callbackUrl, JsonNode state) =>
        (await OpenIdClientRp.RunAsync("callback", Client.With(("callbackUrl", callbackUrl), ("state", state)))).Ok();

    public bool IsCallback(string url) => url.StartsWith(RedirectUri + "?", StringComparison.Ordinal);
}
