using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.Signing;
using IdentityHub.Signing.Activation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// Sole control (CEN EN 419 241-1 SCAL2, issue 10 point 1): the key is reached only through a TOTP- or
/// passkey-confirmed activation, once, until it expires, by that citizen, with that key, for exactly those hashes.
/// Each refusal is its own test against a real hub (PostgreSQL, SoftHSM, the citizen's issued eID).
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class ActivationSoleControlTests(PasskeyHubFixture hub)
{
    private static readonly DocumentToSign Contract = ActivationDriver.Document("contract.pdf", "the contract");
    private static readonly DocumentToSign Annex = ActivationDriver.Document("annex.pdf", "the annex");

    /// <summary>A citizen with a TOTP app and an activation for contract + annex, confirmed with a code.</summary>
    private async Task<(ActivatedCitizen Citizen, Guid AccountId, PreparedActivation Activation)> ActivatedAsync()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var account = await hub.AccountAsync(citizen.Letter.NationalId);
        var activation = await hub.PrepareAsync(account.Id, Contract, Annex);
        await CitizenWeb.AwayFromAStepBoundaryAsync();
        var confirmed = await hub.ConfirmTotpAsync(activation.Id, citizen.Letter.NationalId, citizen.NextCode());
        Assert.True(confirmed.Succeeded, confirmed.Reason);
        return (citizen, account.Id, activation);
    }

    [Fact]
    public async Task A_TOTP_confirmed_activation_opens_the_key_once_for_its_hashes_and_the_signature_verifies_with_the_certificate()
    {
        var (_, accountId, activation) = await ActivatedAsync();

        var gate = await hub.OpenGateAsync(activation.Id, accountId, activation.Hashes());
        Assert.True(gate.Succeeded, gate.Refusal.Code());
        var signature = gate.Signer!.Key.SignDigest(Contract.Hash, HashAlgorithmName.SHA256);
        using var certificate = X509CertificateLoader.LoadCertificate(gate.Signer.CertificateDer);
        using var key = certificate.GetECDsaPublicKey()!;
        Assert.True(key.VerifyHash(Contract.Hash, signature));
        Assert.Equal(activation.KeyId, gate.Signer.Key.KeyId);

        var again = await hub.OpenGateAsync(activation.Id, accountId, activation.Hashes());
        Assert.False(again.Succeeded);
        Assert.Null(again.Signer);
        Assert.Equal(ConsumeRefusal.AlreadyUsed, again.Refusal);
    }

    [Fact]
    public async Task Signing_without_an_activation_is_refused_and_so_is_one_prepared_but_never_confirmed()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var account = await hub.AccountAsync(citizen.Letter.NationalId);

        var none = await hub.OpenGateAsync(Guid.CreateVersion7(), account.Id, [Contract.Hash]);
        Assert.Equal(ConsumeRefusal.NotActivated, none.Refusal);
        Assert.Null(none.Signer);

        var prepared = await hub.PrepareAsync(account.Id, Contract);
        var unconfirmed = await hub.OpenGateAsync(prepared.Id, account.Id, prepared.Hashes());
        Assert.Equal(ConsumeRefusal.NotActivated, unconfirmed.Refusal);
        Assert.Null(unconfirmed.Signer);
    }

    [Fact]
    public async Task An_activation_for_other_hashes_is_refused_even_with_the_same_hashes_reordered_or_one_left_out()
    {
        var (_, accountId, activation) = await ActivatedAsync();
        var other = ActivationDriver.Document("other.pdf", "another document");

        Assert.Equal(ConsumeRefusal.OtherHashes, (await hub.OpenGateAsync(activation.Id, accountId, [other.Hash])).Refusal);
        Assert.Equal(ConsumeRefusal.OtherHashes, (await hub.OpenGateAsync(activation.Id, accountId, [Annex.Hash, Contract.Hash])).Refusal);
        Assert.Equal(ConsumeRefusal.OtherHashes, (await hub.OpenGateAsync(activation.Id, accountId, [Contract.Hash])).Refusal);
        Assert.Equal(ConsumeRefusal.OtherHashes, (await hub.OpenGateAsync(activation.Id, accountId, [Contract.Hash, Annex.Hash, other.Hash])).Refusal);

        // The refusals did not use it up: the right hashes still work, once.
        Assert.True((await hub.OpenGateAsync(activation.Id, accountId, activation.Hashes())).Succeeded);
    }

    [Fact]
    public async Task A_reused_activation_is_refused_even_when_two_nodes_race_for_it()
    {
        var (_, accountId, activation) = await ActivatedAsync();
        var (second, client) = await hub.StartSecondNodeAsync();
        using var secondClient = client;
        try
        {
            async Task<ConsumeOutcome> On(IServiceProvider services)
            {
                await using var scope = services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<SignatureActivations>()
                    .ConsumeAsync(activation.Id, accountId, activation.KeyId, activation.Hashes(), CancellationToken.None);
            }

            var outcomes = await Task.WhenAll(On(hub.App.Services), On(second.Services), On(hub.App.Services), On(second.Services));
            Assert.Single(outcomes, o => o.Succeeded);
            Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal(ConsumeRefusal.AlreadyUsed, o.Refusal));
        }
        finally
        {
            await second.StopAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_expired_activation_is_refused()
    {
        var (_, accountId, activation) = await ActivatedAsync();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            await db.SignatureActivations.Where(a => a.Id == activation.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        var gate = await hub.OpenGateAsync(activation.Id, accountId, activation.Hashes());
        Assert.Equal(ConsumeRefusal.Expired, gate.Refusal);
        Assert.Null(gate.Signer);
    }

    [Fact]
    public async Task Another_citizens_activation_is_refused_and_stays_usable_by_its_owner()
    {
        var (_, ownerId, activation) = await ActivatedAsync();
        var stranger = await hub.ActivateWithTotpAsync();
        var strangerId = (await hub.AccountAsync(stranger.Letter.NationalId)).Id;

        Assert.Equal(ConsumeRefusal.OtherCitizen, (await hub.OpenGateAsync(activation.Id, strangerId, activation.Hashes())).Refusal);
        // Even naming the owner's key: the account is compared in the same UPDATE.
        Assert.Equal(ConsumeRefusal.OtherCitizen, (await hub.ConsumeAsync(activation.Id, strangerId, activation.KeyId, activation.Hashes())).Refusal);
        Assert.True((await hub.OpenGateAsync(activation.Id, ownerId, activation.Hashes())).Succeeded);
    }

    [Fact]
    public async Task An_activation_used_with_another_key_is_refused()
    {
        var (_, accountId, activation) = await ActivatedAsync();
        var other = await hub.IssueSignerAsync("Other");

        var outcome = await hub.ConsumeAsync(activation.Id, accountId, other.Credential.KeyId, activation.Hashes());
        Assert.Equal(ConsumeRefusal.OtherKey, outcome.Refusal);
        Assert.True((await hub.ConsumeAsync(activation.Id, accountId, activation.KeyId, activation.Hashes())).Succeeded);
    }

    [Fact]
    public async Task A_wrong_or_replayed_TOTP_code_does_not_activate_and_counts_toward_the_lockout()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var account = await hub.AccountAsync(citizen.Letter.NationalId);
        var activation = await hub.PrepareAsync(account.Id, Contract);
        await CitizenWeb.AwayFromAStepBoundaryAsync();
        var code = citizen.NextCode();
        var wrong = code == "000000" ? "111111" : "000000";

        var refused = await hub.ConfirmTotpAsync(activation.Id, citizen.Letter.NationalId, wrong);
        Assert.Equal(ActivationError.SecondFactorRefused, refused.Error);
        Assert.Equal(1, (await hub.AccountAsync(citizen.Letter.NationalId)).AccessFailedCount);
        Assert.Equal(ConsumeRefusal.NotActivated, (await hub.OpenGateAsync(activation.Id, account.Id, activation.Hashes())).Refusal);

        Assert.True((await hub.ConfirmTotpAsync(activation.Id, citizen.Letter.NationalId, code)).Succeeded);
        Assert.Equal(1, (await hub.AccountAsync(citizen.Letter.NationalId)).AccessFailedCount);

        // The same code again, for a second activation: TotpAuthenticators accepts each step once.
        var second = await hub.PrepareAsync(account.Id, Annex);
        var replayed = await hub.ConfirmTotpAsync(second.Id, citizen.Letter.NationalId, code);
        Assert.Equal(ActivationError.SecondFactorRefused, replayed.Error);
        Assert.Equal("totp-replayed", replayed.Reason);
        Assert.Equal(2, (await hub.AccountAsync(citizen.Letter.NationalId)).AccessFailedCount);
    }

    [Fact]
    public async Task Prepare_refuses_an_empty_or_oversized_batch_a_hash_of_the_wrong_length_and_an_unknown_hash_algorithm()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var accountId = (await hub.AccountAsync(citizen.Letter.NationalId)).Id;
        var max = hub.App.Services.GetRequiredService<IOptions<SigningOptions>>().Value.MaxBatchDocuments;

        var full = Enumerable.Range(0, max).Select(i => ActivationDriver.Document($"d{i}.pdf", $"document {i}")).ToArray();
        Assert.True((await hub.TryPrepareAsync(new ActivationRequest(accountId, full))).Succeeded);
        Assert.Equal(ActivationError.InvalidDocuments, (await hub.TryPrepareAsync(new ActivationRequest(accountId, [.. full, Contract]))).Error);
        Assert.Equal(ActivationError.InvalidDocuments, (await hub.TryPrepareAsync(new ActivationRequest(accountId, []))).Error);
        Assert.Equal(ActivationError.InvalidDocuments, (await hub.TryPrepareAsync(new ActivationRequest(accountId, [Contract with { Hash = new byte[31] }]))).Error);
        Assert.Equal(ActivationError.InvalidDocuments, (await hub.TryPrepareAsync(new ActivationRequest(accountId, [Contract with { Name = " " }]))).Error);
        Assert.Equal(ActivationError.UnsupportedHashAlgorithm, (await hub.TryPrepareAsync(new ActivationRequest(accountId, [Contract], "1.3.14.3.2.26"))).Error);
        Assert.True((await hub.TryPrepareAsync(new ActivationRequest(accountId, [Contract with { Hash = new byte[48] }], ActivationHashes.Sha384Oid))).Succeeded);
    }

    [Fact]
    public async Task Every_step_is_in_the_audit_chain_with_hashes_key_certificate_agency_and_address_and_no_code()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var account = await hub.AccountAsync(citizen.Letter.NationalId);
        var activation = await hub.PrepareAsync(account.Id, Contract, Annex);
        await CitizenWeb.AwayFromAStepBoundaryAsync();
        var code = citizen.NextCode();
        Assert.True((await hub.ConfirmTotpAsync(activation.Id, citizen.Letter.NationalId, code)).Succeeded);
        Assert.Equal(ConsumeRefusal.OtherHashes, (await hub.OpenGateAsync(activation.Id, account.Id, [Annex.Hash])).Refusal);
        Assert.True((await hub.OpenGateAsync(activation.Id, account.Id, activation.Hashes())).Succeeded);

        var events = (await hub.EventsAsync(citizen.Letter.NationalId)).Where(e => e.Type.StartsWith("signing.activation.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["signing.activation.prepared", "signing.activation.confirmed", "signing.activation.refused", "signing.activation.consumed"], events.Select(e => e.Type));
        var hashes = Convert.ToHexStringLower(Contract.Hash) + " " + Convert.ToHexStringLower(Annex.Hash);
        foreach (var (_, details) in events)
        {
            Assert.Contains($"\"hashes\":\"{hashes}\"", details, StringComparison.Ordinal);
            Assert.Contains($"\"keyId\":\"{activation.KeyId}\"", details, StringComparison.Ordinal);
            Assert.Contains($"\"certificateSerial\":\"{activation.CertificateSerial}\"", details, StringComparison.Ordinal);
            Assert.Contains("\"agency\":\"agency-tests\"", details, StringComparison.Ordinal);
            Assert.Contains("\"clientAddress\":\"192.0.2.7\"", details, StringComparison.Ordinal);
            Assert.DoesNotContain(code, details, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(activation.Challenge), details, StringComparison.Ordinal);
        }

        Assert.Contains("\"reason\":\"other-hashes\"", events[2].Details, StringComparison.Ordinal);
        Assert.Contains("\"method\":\"totp\"", events[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_citizen_cannot_confirm_an_activation_with_their_own_code_and_the_attempt_is_audited()
    {
        var owner = await hub.ActivateWithTotpAsync();
        var ownerId = (await hub.AccountAsync(owner.Letter.NationalId)).Id;
        var activation = await hub.PrepareAsync(ownerId, Contract);
        var stranger = await hub.ActivateWithTotpAsync();
        await CitizenWeb.AwayFromAStepBoundaryAsync();

        var refused = await hub.ConfirmTotpAsync(activation.Id, stranger.Letter.NationalId, stranger.NextCode());
        Assert.Equal(ActivationError.UnknownActivation, refused.Error);
        Assert.Contains("unknown-activation", await hub.LastAsync(stranger.Letter.NationalId, "signing.activation.refused"), StringComparison.Ordinal);
        Assert.Equal(ConsumeRefusal.NotActivated, (await hub.OpenGateAsync(activation.Id, ownerId, activation.Hashes())).Refusal);
    }
}
