using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Authentication.Notices;
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
/// The hub adds: challenges that live in PostgreSQL and are answered once, answers refused when their JSON names a
/// member twice (<see cref="StrictJson"/>, before anything reads them), the attestation policy (who may reach level
/// high), user verification required by the handler where the level needs it, the check that a passkey belongs to the
/// account signing in, sign-count regressions flagged and audited, the backup flags recorded, and an audit event for
/// every refusal. Every flag and counter the hub keeps comes from what the handler verified, never from a second parse.
/// </summary>
public sealed class PasskeyCeremonies(
    PasskeyHandlers handlers,
    AssurancePolicy policy,
    UserManager<HubAccount> users,
    WebAuthnChallenges challenges,
    HubDbContext db,
    AuditLog audit,
    TimeProvider time,
    ILogger<PasskeyCeremonies> logger)
{
    /// <summary>HttpContext.Items key under which the attestation verdict of the running registration is left.</summary>
    internal const string VerdictItem = "hub.attestation.verdict";

    /// <param name="boundAt">
    /// The level the registering session binds at (<see cref="AssurancePolicy.BindingLevel"/>). At high the browser is
    /// asked for user verification ("required"), since only such a passkey can give high.
    /// </param>
    public async Task<PasskeyChallenge> BeginRegistrationAsync(HubAccount account, LevelOfAssurance boundAt, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var requireUserVerification = boundAt >= LevelOfAssurance.High;
        var options = await handlers.For(requireUserVerification).MakeCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = account.Id.ToString(),
            Name = account.UserName!,
            DisplayName = account.DisplayName.Length > 0 ? account.DisplayName : account.UserName!,
        }, http);
        var id = await challenges.StoreAsync(WebAuthnChallenges.RegistrationFor(requireUserVerification), account.Id, options.AttestationState ?? "", ct);
        return new PasskeyChallenge(id, options.CreationOptionsJson);
    }

    /// <param name="boundAt">
    /// The level the registering session binds at: stored with the passkey, which never counts above it (NIST SP
    /// 800-63B §6.1.2.1). Below the level a passkey gives, nothing is registered.
    /// </param>
    public async Task<PasskeyRegistrationOutcome> FinishRegistrationAsync(
        HubAccount account, Guid challengeId, string credentialJson, string name, LevelOfAssurance boundAt, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(http);
        var requireUserVerification = boundAt >= LevelOfAssurance.High;
        var (lookup, state) = await challenges.TakeAsync(challengeId, WebAuthnChallenges.RegistrationFor(requireUserVerification), account.Id, ct);
        if (lookup != ChallengeLookup.Found)
        {
            return await RegistrationFailedAsync(account, lookup == ChallengeLookup.Expired ? PasskeyError.ChallengeExpired : PasskeyError.ChallengeUnknown,
                lookup == ChallengeLookup.Expired ? "challenge-expired" : "challenge-unknown-or-used", ct);
        }

        if (boundAt < policy.LevelGivenBy(AuthenticationMethods.Passkey))
        {
            return await RegistrationFailedAsync(account, PasskeyError.Rejected, "session-binds-at-" + boundAt.ToString().ToLowerInvariant(), ct);
        }

        if (StrictJson.CredentialProblem(credentialJson) is { } problem)
        {
            return await RegistrationFailedAsync(account, PasskeyError.Rejected, "malformed-credential: " + problem, ct);
        }

        // The handler's result (flags, key) is what it verified: after StrictJson the answer has one reading only.
        var result = await handlers.For(requireUserVerification).PerformAttestationAsync(
            new PasskeyAttestationContext { CredentialJson = credentialJson, AttestationState = state, HttpContext = http });
        var verdict = http.Items[VerdictItem] as AttestationVerdict;
        if (!result.Succeeded)
        {
            var reason = result.Failure?.Message ?? "rejected";
            return verdict is { Valid: false } ? await RegistrationFailedAsync(account, PasskeyError.AttestationInvalid, "attestation-invalid: " + verdict.Problem, ct)
                : requireUserVerification && reason.Contains("'UserVerified'", StringComparison.Ordinal)
                    ? await RegistrationFailedAsync(account, PasskeyError.UserVerificationRequired, "user-verification-missing: " + reason, ct)
                : await RegistrationFailedAsync(account, PasskeyError.Rejected, reason, ct);
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
            BoundAtLevel = boundAt.ToUri(),
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var added = await users.AddOrUpdatePasskeyAsync(account, passkey);
            if (added.Succeeded)
            {
                db.PasskeyDetails.Add(details);
                AccountNotices.Add(db, account.Id, NoticeKinds.FactorAdded, now, new Dictionary<string, string> { ["factor"] = "passkey", ["name"] = passkey.Name ?? "" });
                await db.SaveChangesAsync(ct);
                await audit.AppendAsync(new AuditEvent("auth.factor.added", account.UserName!, account.UserName!, new Dictionary<string, string>
                {
                    ["factor"] = "passkey",
                    ["name"] = passkey.Name ?? "",
                    ["attestation"] = verdict.Format,
                    ["attestationTrusted"] = verdict.Trusted ? "true" : "false",
                    ["boundAt"] = boundAt.ToUri(),
                    ["userVerified"] = passkey.IsUserVerified ? "true" : "false",
                    ["backupEligible"] = passkey.IsBackupEligible ? "true" : "false",
                    ["backedUp"] = passkey.IsBackedUp ? "true" : "false",
                    ["aaguid"] = verdict.Aaguid.ToString(),
                }), ct);
                await transaction.CommitAsync(ct);
                logger.PasskeyRegistered(account.UserName!, verdict.Format, verdict.Trusted);
                return new PasskeyRegistrationOutcome(PasskeyError.None, null, details);
            }

            await transaction.RollbackAsync(ct);
            // The refusal is audited after the rollback, so it is kept.
            return await RegistrationFailedAsync(account, PasskeyError.Rejected, string.Join(" ", added.Errors.Select(e => e.Code)), ct);
        }
    }

    /// <param name="account">The account signing in, when known (second factor or step-up); null for a passkey-first login.</param>
    /// <param name="requireUserVerification">
    /// True where the level sought needs it (a passkey alone, or level high): the browser is asked for it ("required")
    /// and the answer must carry it. The challenge remembers which, so it can be finished only the same way.
    /// </param>
    public async Task<PasskeyChallenge> BeginAssertionAsync(HubAccount? account, bool requireUserVerification, HttpContext http, CancellationToken ct)
    {
        var options = await handlers.For(requireUserVerification).MakeRequestOptionsAsync(account, http);
        var id = await challenges.StoreAsync(WebAuthnChallenges.AssertionFor(requireUserVerification), account?.Id, options.AssertionState ?? "", ct);
        return new PasskeyChallenge(id, options.RequestOptionsJson);
    }

    /// <param name="account">The account the challenge was issued for (null for a passkey-first login).</param>
    /// <param name="requireUserVerification">True where the level sought needs it: a passkey alone, or level high.</param>
    public async Task<PasskeyAssertionOutcome> FinishAssertionAsync(
        HubAccount? account, Guid challengeId, string credentialJson, bool requireUserVerification, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (lookup, state) = await challenges.TakeAsync(challengeId, WebAuthnChallenges.AssertionFor(requireUserVerification), account?.Id, ct);
        if (lookup != ChallengeLookup.Found)
        {
            return await AssertionFailedAsync(account, lookup == ChallengeLookup.Expired ? PasskeyError.ChallengeExpired : PasskeyError.ChallengeUnknown,
                lookup == ChallengeLookup.Expired ? "challenge-expired" : "challenge-unknown-or-used", ct);
        }

        if (StrictJson.CredentialProblem(credentialJson) is { } problem)
        {
            return await AssertionFailedAsync(account, PasskeyError.Rejected, "malformed-credential: " + problem, ct);
        }

        var result = await handlers.For(requireUserVerification).PerformAssertionAsync(
            new PasskeyAssertionContext { CredentialJson = credentialJson, AssertionState = state, HttpContext = http });
        if (!result.Succeeded)
        {
            return await ClassifyFailureAsync(account, credentialJson, result.Failure?.Message ?? "rejected", requireUserVerification, ct);
        }

        var owner = result.User;
        if (account is not null && owner.Id != account.Id)
        {
            return await AssertionFailedAsync(account, PasskeyError.WrongAccount, "credential-of-another-account", ct);
        }

        // What the handler verified: its passkey record carries this answer's counter and backup state (§7.2 steps 19
        // and 24; backup eligibility must equal the stored one). Its IsUserVerified is the flag stored at registration,
        // not this answer's: Identity does not update it (§7.2 step 24.3 is not implemented), so this answer verified
        // its user exactly when the handler required it to.
        var verified = result.Passkey;
        var userVerified = requireUserVerification;
        var now = time.GetUtcNow();
        var credentialId = verified.CredentialId;
        var signCount = (long)verified.SignCount;
        var backedUp = verified.IsBackedUp;
        await db.Database.ExecuteSqlAsync($$"""
            UPDATE accounts.user_passkeys
            SET "Data" = jsonb_set(jsonb_set("Data", '{SignCount}', to_jsonb({{signCount}})), '{IsBackedUp}', to_jsonb({{backedUp}}))
            WHERE "CredentialId" = {{credentialId}}
            """, ct);
        var binding = (await db.Database.SqlQuery<PasskeyBinding>($"""
            UPDATE accounts.passkey_details SET "LastUsedAt" = {now} WHERE "CredentialId" = {credentialId} RETURNING "AttestationTrusted", "BoundAtLevel"
            """).ToListAsync(ct)).FirstOrDefault();
        // A passkey never counts above the level of the session that bound it (null: bound before that rule).
        var trusted = binding is { AttestationTrusted: true } && (binding.BoundAtLevel is null || binding.BoundAtLevel == LevelsOfAssurance.HighUri);

        var facts = new PasskeyFacts(userVerified, verified.IsBackupEligible, verified.IsBackedUp, trusted);
        var method = !userVerified ? AuthenticationMethods.Passkey
            : trusted ? AuthenticationMethods.PasskeyVerifiedAttested
            : AuthenticationMethods.PasskeyVerified;
        return new PasskeyAssertionOutcome(PasskeyError.None, null, owner, new AuthenticationRecord(method, now, facts));
    }

    /// <summary>
    /// A counter at or below the stored one is refused by the handler; the hub tells that case apart (the signature
    /// itself verifies with the stored key) to flag the passkey and audit it as a possible clone.
    /// </summary>
    private async Task<PasskeyAssertionOutcome> ClassifyFailureAsync(HubAccount? account, string credentialJson, string reason, bool requireUserVerification, CancellationToken ct)
    {
        // The answer passed StrictJson, so this reading and the handler's see the same members.
        if (AssertionResponse.TryParse(credentialJson) is not { } response)
        {
            return await AssertionFailedAsync(account, PasskeyError.Rejected, reason, ct);
        }

        var owner = await users.FindByPasskeyIdAsync(response.CredentialId);
        // §7.2 step 17, checked by the handler on the authenticator data it verified.
        if (requireUserVerification && reason.Contains("'UserVerified'", StringComparison.Ordinal))
        {
            return await AssertionFailedAsync(account ?? owner, PasskeyError.UserVerificationRequired, "user-verification-missing: " + reason, ct);
        }

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

    private sealed class PasskeyBinding
    {
        public bool AttestationTrusted { get; set; }

        public string? BoundAtLevel { get; set; }
    }
}
