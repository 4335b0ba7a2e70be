using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityHub.Oidc;
using IdentityHub.Oidc.SigningKeys;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>A hub whose clock the rotation tests move (grace periods, the key set's refresh on every node).</summary>
public sealed class KeyRotationHubFixture : HubFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureNode(WebApplicationBuilder builder) => builder.Services.AddSingleton<TimeProvider>(Clock);
}

[CollectionDefinition(Name)]
public sealed class KeyRotationHubCollection : ICollectionFixture<KeyRotationHubFixture>
{
    public const string Name = "key rotation hub";
}

/// <summary>
/// Signing-key rotation (decision 0018) as relying parties see it: the key that will sign is in the JWKS before it
/// signs; a token signed before a rotation verifies against the JWKS after it, until the grace period ends; every node
/// follows a rotation within Oidc:SigningKeys:Refresh. Tokens here are client-credentials access tokens (ES256, signed
/// like every token), so moving the clock by a day breaks no login.
/// </summary>
[Collection(KeyRotationHubCollection.Name)]
public sealed class KeyRotationTests(KeyRotationHubFixture hub)
{
    private const string Secret = "rotation-tests-secret-of-at-least-32-characters";

    private SigningKeyOptions Settings => hub.App.Services.GetRequiredService<IOptions<OidcOptions>>().Value.SigningKeys;

    [Fact]
    public async Task A_token_signed_before_a_rotation_verifies_after_it_and_the_key_that_signs_next_was_published_first()
    {
        var client = await RegisterBackEndAsync();
        var before = await AccessTokenAsync(hub.Http, client);
        var jwksBefore = await KidsAsync(hub.Http);
        var nextEc = (await KeysAsync()).Single(k => k.State == SigningKeyStates.Next && k.KeyAlgorithm == "P-256").Kid;
        Assert.Contains(before.Kid, jwksBefore);
        Assert.Contains(nextEc, jwksBefore);
        Assert.NotEqual(before.Kid, nextEc);

        var rotation = await RotateAsync(force: true);
        Assert.True(rotation.Succeeded, rotation.Problem);
        Assert.Contains(nextEc, rotation.Promoted);
        Assert.Contains(before.Kid, rotation.Retired);
        hub.Clock.Advance(Settings.Refresh);

        var after = await AccessTokenAsync(hub.Http, client);
        Assert.Equal(nextEc, after.Kid);
        var jwksAfter = await KidsAsync(hub.Http);
        Assert.Contains(before.Kid, jwksAfter);
        Assert.True(rotation.Created.All(jwksAfter.Contains));
        Assert.True(await VerifiesAsync(hub.Http, before.EncodedToken), "a token signed before the rotation no longer verifies with the JWKS");
        Assert.True(await VerifiesAsync(hub.Http, after.EncodedToken));

        // The new next key is younger than PublishBeforeUse: a rotation without --force would put it to work unseen.
        var tooSoon = await RotateAsync(force: false);
        Assert.False(tooSoon.Succeeded);
        Assert.Contains("PublishBeforeUse", tooSoon.Problem, StringComparison.Ordinal);
        Assert.Contains(nextEc, await Authentication.AuditProbe.LastAsync(hub, "oidc signing keys", "oidc.signing-keys.rotated"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_grace_period_the_retired_key_leaves_the_JWKS_and_its_tokens_no_longer_verify()
    {
        var client = await RegisterBackEndAsync();
        var token = await AccessTokenAsync(hub.Http, client);
        hub.Clock.Advance(Settings.PublishBeforeUse);
        var rotation = await RotateAsync(force: false);
        Assert.True(rotation.Succeeded, rotation.Problem);
        Assert.Contains(token.Kid, rotation.Retired);
        Assert.Equal(hub.Clock.GetUtcNow() + Settings.Grace, rotation.RemoveAfter);

        hub.Clock.Advance(Settings.Grace - TimeSpan.FromMinutes(1));
        Assert.Contains(token.Kid, await KidsAsync(hub.Http));
        Assert.True(await VerifiesAsync(hub.Http, token.EncodedToken));

        hub.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.DoesNotContain(token.Kid, await KidsAsync(hub.Http));
        Assert.False(await VerifiesAsync(hub.Http, token.EncodedToken));
        Assert.Equal(SigningKeyStates.Removed, (await KeysAsync()).Single(k => k.Kid == token.Kid).State);
    }

    [Fact]
    public async Task A_second_node_picks_up_a_rotation_without_a_restart()
    {
        var client = await RegisterBackEndAsync();
        var (node, other) = await hub.StartSecondNodeAsync();
        await using (node)
        using (other)
        {
            var before = await AccessTokenAsync(other, client);
            Assert.Contains(before.Kid, await KidsAsync(other));

            var rotation = await RotateAsync(force: true);
            Assert.True(rotation.Succeeded, rotation.Problem);
            hub.Clock.Advance(Settings.Refresh + TimeSpan.FromSeconds(1));

            var jwks = await KidsAsync(other);
            Assert.True(rotation.Created.All(jwks.Contains), "the second node does not publish the new next keys");
            Assert.Contains(before.Kid, jwks);
            var after = await AccessTokenAsync(other, client);
            Assert.Contains(after.Kid, rotation.Promoted);
            Assert.True(await VerifiesAsync(hub.Http, after.EncodedToken), "a token of the second node does not verify with the first node's JWKS");
            await node.StopAsync();
        }
    }

    [Fact]
    public void A_grace_shorter_than_the_tokens_live_is_refused()
    {
        var oidc = new OidcOptions { AccessTokenLifetime = TimeSpan.FromMinutes(30) };
        oidc.SigningKeys.Grace = TimeSpan.FromMinutes(30);

        Assert.Contains("Oidc:SigningKeys:Grace", oidc.SigningKeys.Problem(oidc), StringComparison.Ordinal);
        oidc.SigningKeys.Grace = TimeSpan.FromMinutes(36);
        Assert.Null(oidc.SigningKeys.Problem(oidc));
    }

    private async Task<string> RegisterBackEndAsync()
    {
        var clientId = "backend-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = hub.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
            GovernmentService = true,
            ClientId = clientId, DisplayName = "Back end", ClientSecret = Secret, AllowClientCredentials = true,
        }, "tests", CancellationToken.None);
        Assert.True(result.Succeeded, result.Problem);
        return clientId;
    }

    private async Task<SigningKeyRotation> RotateAsync(bool force)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OidcSigningKeys>().RotateAsync("tests", force, CancellationToken.None);
    }

    private async Task<IReadOnlyList<OidcSigningKeyView>> KeysAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OidcSigningKeys>().ListAsync(CancellationToken.None);
    }

    private static async Task<JsonWebToken> AccessTokenAsync(HttpClient node, string clientId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{Secret}")));
        using var response = await node.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var token = new JsonWebToken(JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString());
        Assert.Equal("ES256", token.Alg);
        return token;
    }

    private static async Task<HashSet<string>> KidsAsync(HttpClient node) =>
        [.. new JsonWebKeySet(await node.GetStringAsync("/.well-known/jwks")).Keys.Select(k => k.Kid)];

    /// <summary>As a resource server checks a JWT access token's signature with the published JWKS (the fake clock makes lifetimes moot here).</summary>
    private static async Task<bool> VerifiesAsync(HttpClient node, string token)
    {
        var jwks = new JsonWebKeySet(await node.GetStringAsync("/.well-known/jwks"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
        });
        return result.IsValid;
    }
}
