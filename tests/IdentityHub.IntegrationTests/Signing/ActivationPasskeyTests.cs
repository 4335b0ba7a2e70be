using System.Text.Json.Nodes;
using IdentityHub.IntegrationTests.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using IdentityHub.Signing.Activation;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// Passkey activation (CEN EN 419 241-1 SCAL2 with W3C WebAuthn): the challenge is derived from the key id, a nonce and
/// the hashes, so the assertion is the signature activation data; it is verified by the hub's passkey code with user
/// verification required, for the citizen's own passkey, once.
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class ActivationPasskeyTests(PasskeyHubFixture hub)
{
    private static readonly DocumentToSign Contract = ActivationDriver.Document("contract.pdf", "the contract");

    [Fact]
    public async Task The_options_carry_the_challenge_derived_from_the_hashes_and_the_assertion_over_it_activates_once()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var _ = authenticator;
        var nationalId = citizen.Letter.NationalId;
        var account = await hub.AccountAsync(nationalId);
        var activation = await hub.PrepareAsync(account.Id, Contract);

        var (challengeId, options) = await hub.BeginPasskeyAsync(activation.Id, nationalId);
        var challenge = WebEncoders.Base64UrlDecode(JsonNode.Parse(options)!["challenge"]!.GetValue<string>());
        Assert.Equal(activation.Challenge, challenge);
        Assert.Equal(ActivationHashes.Challenge(activation.KeyId, await NonceAsync(activation.Id), activation.HashAlgorithmOid, activation.Hashes()), challenge);
        Assert.Equal("required", JsonNode.Parse(options)!["userVerification"]!.GetValue<string>());

        var assertion = authenticator.Assert(options);
        var confirmed = await hub.ConfirmPasskeyAsync(activation.Id, nationalId, challengeId, assertion);
        Assert.True(confirmed.Succeeded, confirmed.Reason);
        var gate = await hub.OpenGateAsync(activation.Id, account.Id, activation.Hashes());
        Assert.True(gate.Succeeded, gate.Refusal.Code());

        // The same assertion replayed: on the same activation (used), and on a fresh one for the same document (its
        // nonce, hence its challenge, differs), even with that activation's own challenge id.
        Assert.False((await hub.ConfirmPasskeyAsync(activation.Id, nationalId, challengeId, assertion)).Succeeded);
        var fresh = await hub.PrepareAsync(account.Id, Contract);
        Assert.NotEqual(activation.Challenge, fresh.Challenge);
        var (freshChallengeId, _) = await hub.BeginPasskeyAsync(fresh.Id, nationalId);
        var replayed = await hub.ConfirmPasskeyAsync(fresh.Id, nationalId, freshChallengeId, assertion);
        Assert.Equal(ActivationError.SecondFactorRefused, replayed.Error);
        Assert.Equal("challenge-not-bound-to-these-hashes", replayed.Reason);
        Assert.Equal(ConsumeRefusal.NotActivated, (await hub.OpenGateAsync(fresh.Id, account.Id, fresh.Hashes())).Refusal);
    }

    [Fact]
    public async Task An_assertion_over_the_challenge_of_another_activation_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var _ = authenticator;
        var nationalId = citizen.Letter.NationalId;
        var account = await hub.AccountAsync(nationalId);
        var mine = await hub.PrepareAsync(account.Id, Contract);
        var other = await hub.PrepareAsync(account.Id, ActivationDriver.Document("other.pdf", "something else"));
        var (mineId, _) = await hub.BeginPasskeyAsync(mine.Id, nationalId);
        var (_, otherOptions) = await hub.BeginPasskeyAsync(other.Id, nationalId);

        // Signed over the other activation's challenge, presented for this one with this one's challenge id.
        var refused = await hub.ConfirmPasskeyAsync(mine.Id, nationalId, mineId, authenticator.Assert(otherOptions));
        Assert.Equal(ActivationError.SecondFactorRefused, refused.Error);
        Assert.Equal(ConsumeRefusal.NotActivated, (await hub.OpenGateAsync(mine.Id, account.Id, mine.Hashes())).Refusal);
    }

    [Fact]
    public async Task Another_citizens_passkey_and_an_assertion_without_user_verification_are_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        var (_, strangers) = await hub.CitizenWithPasskeyAsync();
        using var a = authenticator;
        using var b = strangers;
        var nationalId = citizen.Letter.NationalId;
        var account = await hub.AccountAsync(nationalId);

        var first = await hub.PrepareAsync(account.Id, Contract);
        var (firstId, firstOptions) = await hub.BeginPasskeyAsync(first.Id, nationalId);
        var wrongAccount = await hub.ConfirmPasskeyAsync(first.Id, nationalId, firstId, strangers.Assert(firstOptions));
        Assert.Equal(ActivationError.SecondFactorRefused, wrongAccount.Error);
        Assert.StartsWith("passkey-", wrongAccount.Reason, StringComparison.Ordinal);

        var second = await hub.PrepareAsync(account.Id, Contract);
        var (secondId, secondOptions) = await hub.BeginPasskeyAsync(second.Id, nationalId);
        var unverified = await hub.ConfirmPasskeyAsync(second.Id, nationalId, secondId, authenticator.Assert(secondOptions, new WebAuthnTweaks { UserVerified = false }));
        Assert.Equal(ActivationError.SecondFactorRefused, unverified.Error);
        Assert.Equal("passkey-userverificationrequired", unverified.Reason);

        Assert.Equal(2, (await hub.AccountAsync(nationalId)).AccessFailedCount);
        Assert.Equal(ConsumeRefusal.NotActivated, (await hub.OpenGateAsync(first.Id, account.Id, first.Hashes())).Refusal);
        Assert.Equal(ConsumeRefusal.NotActivated, (await hub.OpenGateAsync(second.Id, account.Id, second.Hashes())).Refusal);
    }

    private async Task<byte[]> NonceAsync(Guid activationId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityHub.Data.HubDbContext>();
        return await db.SignatureActivations.Where(a => a.Id == activationId).Select(a => a.Nonce).SingleAsync();
    }
}
