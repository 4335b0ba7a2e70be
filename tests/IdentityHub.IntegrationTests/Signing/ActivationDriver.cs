using System.Security.Cryptography;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Signing.Activation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>Drives the activation services of a real hub the way the portal and the APIs do, one DI scope per call.</summary>
internal static class ActivationDriver
{
    public static DocumentToSign Document(string name, string content) =>
        new(name, content.Length, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));

    public static async Task<HubAccount> AccountAsync(this HubFixture hub, string nationalId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.AsNoTracking().SingleAsync(u => u.UserName == nationalId);
    }

    public static async Task<PreparedActivation> PrepareAsync(this HubFixture hub, Guid accountId, params DocumentToSign[] documents)
    {
        var outcome = await hub.TryPrepareAsync(new ActivationRequest(accountId, documents, ClientId: "agency-tests", ClientAddress: "192.0.2.7"));
        Assert.True(outcome.Succeeded, outcome.Error.ToString());
        return outcome.Activation!;
    }

    public static async Task<PrepareOutcome> TryPrepareAsync(this HubFixture hub, ActivationRequest request)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SignatureActivations>().PrepareAsync(request, CancellationToken.None);
    }

    public static async Task<ConfirmOutcome> ConfirmTotpAsync(this HubFixture hub, Guid activationId, string nationalId, string code)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.SingleAsync(u => u.UserName == nationalId);
        return await scope.ServiceProvider.GetRequiredService<ActivationConfirmations>().ConfirmTotpAsync(activationId, account, code, CancellationToken.None);
    }

    public static async Task<(Guid ChallengeId, string OptionsJson)> BeginPasskeyAsync(this HubFixture hub, Guid activationId, string nationalId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.SingleAsync(u => u.UserName == nationalId);
        var challenge = await scope.ServiceProvider.GetRequiredService<ActivationConfirmations>()
            .BeginPasskeyAsync(activationId, account, new DefaultHttpContext { RequestServices = scope.ServiceProvider }, CancellationToken.None);
        Assert.NotNull(challenge);
        return (challenge.ChallengeId, challenge.OptionsJson);
    }

    public static async Task<ConfirmOutcome> ConfirmPasskeyAsync(this HubFixture hub, Guid activationId, string nationalId, Guid challengeId, string credentialJson)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.SingleAsync(u => u.UserName == nationalId);
        return await scope.ServiceProvider.GetRequiredService<ActivationConfirmations>().ConfirmPasskeyAsync(
            activationId, account, challengeId, credentialJson, new DefaultHttpContext { RequestServices = scope.ServiceProvider }, CancellationToken.None);
    }

    public static async Task<ConsumeOutcome> ConsumeAsync(this HubFixture hub, Guid activationId, Guid accountId, string keyId, IReadOnlyList<byte[]> hashes)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SignatureActivations>().ConsumeAsync(activationId, accountId, keyId, hashes, CancellationToken.None);
    }

    public static async Task<GateOutcome> OpenGateAsync(this HubFixture hub, Guid activationId, Guid accountId, IReadOnlyList<byte[]> hashes)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SignatureGate>().OpenAsync(activationId, accountId, hashes, CancellationToken.None);
    }

    public static IReadOnlyList<byte[]> Hashes(this PreparedActivation activation) => [.. activation.Documents.Select(d => d.Hash)];
}
