using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// Passkey registration and assertion around Identity's passkey handler, which does the WebAuthn verification steps.
/// The hub adds: challenges that live in PostgreSQL and are answered once, the attestation policy (who may reach level
/// high), user verification where the level needs it, the check that a passkey belongs to the account signing in,
/// sign-count regressions flagged and audited, the backup flags recorded, and an audit event for every refusal.
/// </summary>
public sealed class PasskeyCeremonies(
    IPasskeyHandler<HubAccount> handler,
    UserManager<HubAccount> users,
    WebAuthnChallenges challenges,
    HubDbContext db,
    AuditLog audit,
    TimeProvider time,
    ILogger<PasskeyCeremonies> logger)
{
    /// <summary>HttpContext.Items key under which the attestation verdict of the running registration is left.</summary>
    internal const string VerdictItem = "hub.attestation.verdict";

    public async Task<PasskeyChallenge> BeginRegistrationAsync(HubAccount account, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var options = await handler.MakeCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = account.Id.ToString(),
            Name = account.UserName!,
            DisplayName = account.DisplayName.Length > 0 ? account.DisplayName : account.UserName!,
        }, http);
        var id = await challenges.StoreAsync(WebAuthnChallenges.Registration, account.Id, options.AttestationState ?? "", ct);
        return new PasskeyChallenge(id, options.CreationOptionsJson);
    }

    public async Task<PasskeyRegistrationOutcome> FinishRegistrationAsync(
        HubAccount account, Guid challengeId, string credentialJson, string name, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(http);
        var (lookup, state) = await challenges.TakeAsync(challengeId, WebAuthnChallenges.Registration, account.Id, ct);
        if (lookup != ChallengeLookup.Found)
        {
            return await RegistrationFailedAsync(account, lookup == ChallengeLookup.Expired ? PasskeyError.ChallengeExpired : PasskeyError.ChallengeUnknown,
                lookup == ChallengeLookup.Expired ? "challenge-expired" : "challenge-unknown-or-used", ct);
        }

        var result = await handler.PerformAttestationAsync(new PasskeyAttestationContext { CredentialJson = credentialJson, AttestationState = state, HttpContext = http });
        var verdict = http.Items[VerdictItem] as AttestationVerdict;
        if (!result.Succeeded)
        {
            return verdict is { Valid: false }
                ? await RegistrationFailedAsync(account, PasskeyError.AttestationInvalid, "attestation-invalid: " + verdict.Problem, ct)
                : await RegistrationFailedAsync(account, PasskeyError.Rejected, result.Failure?.Message ?? "rejected", ct);
        }

        if (result.UserEntity.Id != account.Id.ToString() || verdict is null)
        {
            return await RegistrationFailedAsync(account, PasskeyError.Rejected, "the registration was made for another account", ct);
        }

        var passkey = result.Passkey;
        passkey.Name = Trimmed(name, 100);
        var now = time.GetUtcNow();
        var details = new PasskeyDetailsRecord
        {
            CredentialId = passkey.CredentialId,
            AccountId = account.Id,
            Aaguid = verdict.Aaguid,
            AttestationFormat = verdict.Format,
            AttestationTrusted = verdict.Trusted,
            AttestationAnchor = verdict.Anchor,
            UserVerifiedAtRegistration = passkey.IsUserVerified,
            BackupEligible = passkey.IsBackupEligible,
            CreatedAt = now,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var added = await users.AddOrUpdatePasskeyAsync(account, passkey);
        if (!added.Succeeded)
        {
            return await RegistrationFailedAsync(account, PasskeyError.Rejected, string.Join(" ", added.Errors.Select(e => e.Code)), ct);
        }

        db.PasskeyDetails.Add(details);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("auth.factor.added", account.UserName!, account.UserName!, new Dictionary<string, string>
        {
            ["factor"] = "passkey",
            ["name"] = passkey.Name ?? "",
            ["attestation"] = verdict.Format,
            ["attestationTrusted"] = verdict.Trusted ? "true" : "false",
            ["userVerified"] = passkey.IsUserVerified ? "true" : "false",
            ["backupEligible"] = passkey.IsBackupEligible ? "true" : "false",
            ["backedUp"] = passkey.IsBackedUp ? "true" : "false",
            ["aaguid"] = verdict.Aaguid.ToString(),
        }), ct);
        await transaction.CommitAsync(ct);
        logger.PasskeyRegistered(account.UserName!, verdict.Format, verdict.Trusted);
        return new PasskeyRegistrationOutcome(PasskeyError.None, null, details);
    }

    /// <param name="account">The account signing in, when known (second factor or step-up); null for a passkey-first login.</param>
    public async Task<PasskeyChallenge> BeginAssertionAsync(HubAccount? account, HttpContext http, CancellationToken ct)
    {
        var options = await handler.MakeRequestOptionsAsync(account, http);
        var id = await challenges.StoreAsync(WebAuthnChallenges.Assertion, account?.Id, options.AssertionState ?? "", ct);
        return new PasskeyChallenge(id, options.RequestOptionsJson);
    }

    /// <param name="account">The account the challenge was issued for (null for a passkey-first login).</param>
    /// <param name="requireUserVerification">True where the level sought needs it: a passkey alone, or level high.</param>
    public async Task<PasskeyAssertionOutcome> FinishAssertionAsync(
        HubAccount? account, Guid challengeId, string credentialJson, bool requireUserVerification, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (lookup, state) = await challenges.TakeAsync(challengeId, WebAuthnChallenges.Assertion, account?.Id, ct);
        if (lookup != ChallengeLookup.Found)
        {
            return await AssertionFailedAsync(account, lookup == ChallengeLookup.Expired ? PasskeyError.ChallengeExpired : PasskeyError.ChallengeUnknown,
                lookup == ChallengeLookup.Expired ? "challenge-expired" : "challenge-unknown-or-used", ct);
        }

        var response = AssertionResponse.TryParse(credentialJson);
        if (response is null)
        {
            return await AssertionFailedAsync(account, PasskeyError.Rejected, "malformed-credential", ct);
        }

        var result = await handler.PerformAssertionAsync(new PasskeyAssertionContext { CredentialJson = credentialJson, AssertionState = state, HttpContext = http });
        if (!result.Succeeded)
        {
            return await ClassifyFailureAsync(account, response, result.Failure?.Message ?? "rejected", ct);
        }

        var owner = result.User;
        if (account is not null && owner.Id != account.Id)
        {
            return await AssertionFailedAsync(account, PasskeyError.WrongAccount, "credential-of-another-account", ct);
        }

        var data = AuthenticatorData.TryParse(response.AuthenticatorData)!;
        if (requireUserVerification && !data.IsUserVerified)
        {
            return await AssertionFailedAsync(owner, PasskeyError.UserVerificationRequired, "user-verification-missing", ct);
        }

        // WebAuthn §7.2 step 24: store the new counter and backup state (one statement for the passkey, one for its
        // details; Identity's AddOrUpdatePasskeyAsync would also rewrite and re-validate the account row).
        var now = time.GetUtcNow();
        var credentialId = result.Passkey.CredentialId;
        var signCount = (long)result.Passkey.SignCount;
        var backedUp = result.Passkey.IsBackedUp;
        await db.Database.ExecuteSqlAsync($$"""
            UPDATE accounts.user_passkeys
            SET "Data" = jsonb_set(jsonb_set("Data", '{SignCount}', to_jsonb({{signCount}})), '{IsBackedUp}', to_jsonb({{backedUp}}))
            WHERE "CredentialId" = {{credentialId}}
            """, ct);
        var trusted = (await db.Database.SqlQuery<bool>($"""
            UPDATE accounts.passkey_details SET "LastUsedAt" = {now} WHERE "CredentialId" = {credentialId} RETURNING "AttestationTrusted" AS "Value"
            """).ToListAsync(ct)).FirstOrDefault();

        var facts = new PasskeyFacts(data.IsUserVerified, data.IsBackupEligible, data.IsBackedUp, trusted);
        var method = !data.IsUserVerified ? AuthenticationMethods.Passkey
            : trusted ? AuthenticationMethods.PasskeyVerifiedAttested
            : AuthenticationMethods.PasskeyVerified;
        return new PasskeyAssertionOutcome(PasskeyError.None, null, owner, new AuthenticationRecord(method, now, facts));
    }

    /// <summary>
    /// A counter at or below the stored one is refused by the handler; the hub tells that case apart (the signature
    /// itself verifies with the stored key) to flag the passkey and audit it as a possible clone.
    /// </summary>
    private async Task<PasskeyAssertionOutcome> ClassifyFailureAsync(HubAccount? account, AssertionResponse response, string reason, CancellationToken ct)
    {
        var owner = await users.FindByPasskeyIdAsync(response.CredentialId);
        var stored = owner is null ? null : await users.GetPasskeyAsync(owner, response.CredentialId);
        var data = AuthenticatorData.TryParse(response.AuthenticatorData);
        // The handler checks the counter only after the challenge, origin, flags and signature (§7.2 steps 11-22), so its
        // counter message means everything else held; the signature is checked again here against the stored key.
        if (reason.Contains("signature counter", StringComparison.OrdinalIgnoreCase)
            && owner is not null && stored is not null && data is not null && (data.SignCount != 0 || stored.SignCount != 0)
            && data.SignCount <= stored.SignCount && response.SignatureVerifies(stored.PublicKey)
            && (account is null || account.Id == owner.Id))
        {
            await db.PasskeyDetails.Where(d => d.CredentialId == response.CredentialId)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.SignCountRegressions, d => d.SignCountRegressions + 1), ct);
            await audit.AppendAsync(new AuditEvent("auth.passkey.sign-count-regression", "anonymous", owner.UserName!, new Dictionary<string, string>
            {
                ["storedSignCount"] = stored.SignCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["presentedSignCount"] = data.SignCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["passkey"] = stored.Name ?? "",
            }), ct);
            logger.SignCountRegression(owner.UserName!);
            return new PasskeyAssertionOutcome(PasskeyError.SignCountRegression, "sign-count-regression", null, null);
        }

        return await AssertionFailedAsync(account ?? owner, PasskeyError.Rejected, reason, ct);
    }

    private async Task<PasskeyRegistrationOutcome> RegistrationFailedAsync(HubAccount account, PasskeyError error, string reason, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent("auth.passkey.registration-failed", account.UserName!, account.UserName!,
            new Dictionary<string, string> { ["reason"] = Trimmed(reason, 300) }), ct);
        logger.PasskeyCeremonyFailed("registration", error.ToString());
        return new PasskeyRegistrationOutcome(error, reason, null);
    }

    private async Task<PasskeyAssertionOutcome> AssertionFailedAsync(HubAccount? account, PasskeyError error, string reason, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent("auth.passkey.assertion-failed", "anonymous", account?.UserName ?? "unknown",
            new Dictionary<string, string> { ["reason"] = Trimmed(reason, 300) }), ct);
        logger.PasskeyCeremonyFailed("assertion", error.ToString());
        return new PasskeyAssertionOutcome(error, reason, null, null);
    }

    private static string Trimmed(string? value, int max)
    {
        var text = (value ?? "").Trim();
        return text.Length > max ? text[..max] : text;
    }
}
