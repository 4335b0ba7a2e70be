using System.Security.Cryptography;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Authentication.Totp;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Activation;

/// <summary>
/// The citizen's second factor over a prepared activation (CEN EN 419 241-1 SCAL2, "signature activation data"): a
/// passkey assertion over the challenge derived from the hashes (<see cref="ActivationHashes.Challenge"/>), with user
/// verification, or a TOTP code entered on the page that shows the hashes. Verification is the hub's own passkey and
/// TOTP code (replay, counters, lockout); a failure counts toward the account's lockout like a failed sign-in step.
/// </summary>
public sealed class ActivationConfirmations(
    HubDbContext db,
    PasskeyHandlers handlers,
    PasskeyCeremonies passkeys,
    WebAuthnChallenges challenges,
    TotpAuthenticators totp,
    AccountLockout lockout,
    AuditLog audit,
    TimeProvider time,
    IOptions<SigningOptions> options,
    ILogger<ActivationConfirmations> logger)
{
    public const string PasskeyMethod = "passkey";
    public const string TotpMethod = "totp";

    /// <summary>
    /// Passkey options whose challenge is the activation's derived challenge, user verification required (the passkey
    /// is a factor of its own here, WebAuthn §5.8.6). Null when the activation is not this citizen's or not pending.
    /// </summary>
    public async Task<PasskeyChallenge?> BeginPasskeyAsync(Guid activationId, HubAccount account, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var row = await PendingAsync(activationId, account.Id, ct);
        if (row is null)
        {
            return null;
        }

        // Identity's handler makes a random challenge and keeps it in its assertion state; the hub puts the derived
        // challenge in its place in both, so the handler checks the browser's answer against the hashes' challenge.
        var made = await handlers.For(requireUserVerification: true).MakeRequestOptionsAsync(account, http);
        var (optionsJson, state) = DerivedChallenge.Replace(made.RequestOptionsJson, made.AssertionState ?? "", row.Challenge);
        var challengeId = await challenges.StoreAsync(WebAuthnChallenges.AssertionFor(true), account.Id, state, ct);
        var bound = await db.SignatureActivations
            .Where(a => a.Id == row.Id && a.State == SignatureActivationStates.Prepared)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.WebAuthnChallengeId, challengeId), ct);
        return bound == 1 ? new PasskeyChallenge(challengeId, optionsJson) : null;
    }

    public async Task<ConfirmOutcome> ConfirmPasskeyAsync(Guid activationId, HubAccount account, Guid challengeId, string credentialJson, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var row = await db.SignatureActivations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == activationId && a.AccountId == account.Id, ct);
        if (await NotPendingAsync(row, account, PasskeyMethod, ct) is { } refused)
        {
            return refused;
        }

        // The challenge answered must be the one issued for this activation (another activation's, or a sign-in's, is not).
        if (row!.WebAuthnChallengeId != challengeId)
        {
            return await RefuseAsync(row, account, PasskeyMethod, ActivationError.SecondFactorRefused, "challenge-of-another-ceremony", ct);
        }

        // The answer's clientDataJSON must carry the challenge derived from this activation's key, nonce and hashes
        // (recomputed here, not read back): the handler below then verifies the signature over exactly that.
        var expected = ActivationHashes.Challenge(row.KeyId, row.Nonce, row.HashAlgorithm, [.. ActivationDocuments.Read(row.Documents).Select(d => d.Hash)]);
        if (DerivedChallenge.Of(credentialJson) is not { } answered || !CryptographicOperations.FixedTimeEquals(answered, expected))
        {
            await challenges.TakeAsync(challengeId, WebAuthnChallenges.AssertionFor(true), account.Id, ct);
            return await CountFailureAsync(row, account, PasskeyMethod, "challenge-not-bound-to-these-hashes", ct);
        }

        var reservation = await lockout.ReserveAsync(account, ct);
        if (!reservation.Reserved)
        {
            return await RefuseAsync(row, account, PasskeyMethod, ActivationError.LockedOut, "locked-out", ct);
        }

        var outcome = await passkeys.FinishAssertionAsync(account, challengeId, credentialJson, requireUserVerification: true, http, ct);
        if (!outcome.Succeeded)
        {
            await lockout.FailedAsync(account, reservation, ct);
            return await RefuseAsync(row, account, PasskeyMethod, ActivationError.SecondFactorRefused, "passkey-" + outcome.Error.ToString().ToLowerInvariant(), ct);
        }

        await lockout.ReleaseAsync(account, reservation, ct);
        return await ActivateAsync(row, account, PasskeyMethod, ct);
    }

    /// <summary>A TOTP code entered on the page that showed the hashes; a code works once (TotpAuthenticators' replay rule).</summary>
    public async Task<ConfirmOutcome> ConfirmTotpAsync(Guid activationId, HubAccount account, string code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var row = await db.SignatureActivations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == activationId && a.AccountId == account.Id, ct);
        if (await NotPendingAsync(row, account, TotpMethod, ct) is { } refused)
        {
            return refused;
        }

        var reservation = await lockout.ReserveAsync(account, ct);
        if (!reservation.Reserved)
        {
            return await RefuseAsync(row!, account, TotpMethod, ActivationError.LockedOut, "locked-out", ct);
        }

        var (check, _) = await totp.VerifyAsync(account.Id, code, ct);
        if (check != TotpCheck.Accepted)
        {
            await lockout.FailedAsync(account, reservation, ct);
            return await RefuseAsync(row!, account, TotpMethod, ActivationError.SecondFactorRefused, "totp-" + check.ToString().ToLowerInvariant(), ct);
        }

        await lockout.ReleaseAsync(account, reservation, ct);
        return await ActivateAsync(row!, account, TotpMethod, ct);
    }

    /// <summary>The activation becomes usable once, for <see cref="SigningOptions.ActivationLifetime"/> from now.</summary>
    private async Task<ConfirmOutcome> ActivateAsync(SignatureActivationRecord row, HubAccount account, string method, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var activated = await db.SignatureActivations
            .Where(a => a.Id == row.Id && a.AccountId == account.Id && a.State == SignatureActivationStates.Prepared && a.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u
                .SetProperty(a => a.State, SignatureActivationStates.Activated)
                .SetProperty(a => a.Method, method)
                .SetProperty(a => a.ActivatedAt, now)
                .SetProperty(a => a.ExpiresAt, now + options.Value.ActivationLifetime), ct);
        if (activated != 1)
        {
            await transaction.RollbackAsync(ct);
            return await RefuseAsync(row, account, method, ActivationError.UnknownActivation, "no-longer-pending", ct);
        }

        await ActivationAudit.AppendAsync(audit, ActivationAudit.Confirmed, account.UserName!, account.UserName!, row, ct, ("method", method));
        await transaction.CommitAsync(ct);
        logger.ActivationConfirmed(row.Id, method);
        return new ConfirmOutcome(ActivationError.None);
    }

    private async Task<ConfirmOutcome?> NotPendingAsync(SignatureActivationRecord? row, HubAccount account, string method, CancellationToken ct)
    {
        if (row is null || row.State != SignatureActivationStates.Prepared)
        {
            if (row is not null)
            {
                return await RefuseAsync(row, account, method, ActivationError.UnknownActivation, "not-pending-" + row.State, ct);
            }

            // Unknown, or another citizen's: the same answer, and the attempt is audited under the caller.
            await audit.AppendAsync(new Core.Audit.AuditEvent(ActivationAudit.Refused, account.UserName!, account.UserName!, new Dictionary<string, string>
            {
                ["step"] = "confirm",
                ["method"] = method,
                ["reason"] = "unknown-activation",
            }), ct);
            logger.ActivationRefused(Guid.Empty, "confirm", "unknown-activation");
            return new ConfirmOutcome(ActivationError.UnknownActivation, "unknown-activation");
        }

        return row.ExpiresAt <= time.GetUtcNow() ? await RefuseAsync(row, account, method, ActivationError.Expired, "expired", ct) : null;
    }

    private async Task<ConfirmOutcome> CountFailureAsync(SignatureActivationRecord row, HubAccount account, string method, string reason, CancellationToken ct)
    {
        var reservation = await lockout.ReserveAsync(account, ct);
        if (reservation.Reserved)
        {
            await lockout.FailedAsync(account, reservation, ct);
        }

        return await RefuseAsync(row, account, method, reservation.Reserved ? ActivationError.SecondFactorRefused : ActivationError.LockedOut, reason, ct);
    }

    private async Task<ConfirmOutcome> RefuseAsync(SignatureActivationRecord row, HubAccount account, string method, ActivationError error, string reason, CancellationToken ct)
    {
        await ActivationAudit.AppendAsync(audit, ActivationAudit.Refused, account.UserName!, account.UserName!, row, ct,
            ("step", "confirm"), ("method", method), ("reason", reason));
        logger.ActivationRefused(row.Id, "confirm", reason);
        return new ConfirmOutcome(error, reason);
    }

    private async Task<SignatureActivationRecord?> PendingAsync(Guid activationId, Guid accountId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.SignatureActivations.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == activationId && a.AccountId == accountId && a.State == SignatureActivationStates.Prepared && a.ExpiresAt > now, ct);
    }
}
