using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Oidc;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// Decision 0021: a client secret verified once is remembered for a few minutes, so the token endpoint does not run
/// PBKDF2 on every request. What must still hold: a remembered secret lets no other secret in, and a new secret
/// replaces the old one at once (the remembered entry names the stored hash).
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ClientSecretCacheTests(HubFixture hub)
{
    [Fact]
    public async Task A_remembered_secret_lets_no_other_in_and_a_new_secret_replaces_it_at_once()
    {
        var clientId = "batch-" + Guid.NewGuid().ToString("N")[..8];
        var first = new string('a', 40);
        var second = new string('b', 40);
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
            {
                ClientId = clientId,
                DisplayName = "Batch " + clientId,
                ClientSecret = first,
                AllowClientCredentials = true,
                Sector = "batch.agency.test",
            }, "tests", CancellationToken.None);
            Assert.True(added.Succeeded, added.Problem);
        }

        Assert.Equal("Bearer", await TokenTypeAsync(clientId, first));
        Assert.Equal("Bearer", await TokenTypeAsync(clientId, first)); // remembered now
        Assert.Equal("invalid_client", await TokenTypeAsync(clientId, first[..^1] + "b"));
        Assert.Equal("invalid_client", await TokenTypeAsync(clientId, second));

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync(clientId) ?? throw new InvalidOperationException("client not found");
            await applications.UpdateAsync(application, second);
        }

        Assert.Equal("invalid_client", await TokenTypeAsync(clientId, first));
        Assert.Equal("Bearer", await TokenTypeAsync(clientId, second));
    }

    /// <summary>The token_type of a client-credentials answer, or its error.</summary>
    private async Task<string?> TokenTypeAsync(string clientId, string secret)
    {
        var (_, body) = await OidcDriver.TokenAsync(hub, new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, (clientId, secret));
        return body.TryGetProperty("token_type", out var type) ? type.GetString() : body.GetProperty("error").GetString();
    }
}
