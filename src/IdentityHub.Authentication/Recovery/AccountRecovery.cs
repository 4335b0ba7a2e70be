using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Authentication.Notices;
using IdentityHub.Authentication.Passwords;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Recovery;

public enum RecoveryError
{
    None,

    /// <summary>
    /// Every refusal of the national id and code: no citizen account, no letter, the letter used, superseded, locked,
    /// expired, or a wrong code. One answer for all, as for activation; the audit event auth.recovery.refused says which.
    /// </summary>
    Refused,

    /// <summary>The new password breaks the password rules (checked before the code, so it costs no try).</summary>
    PasswordRejected,
}

public sealed record RecoveryResult(RecoveryError Error, HubAccount? Account = null, IReadOnlyList<string>? PasswordErrors = null)
{
    public bool Succeeded => Error == RecoveryError.None;
}

/// <summary>
/// Account recovery with the code of a recovery letter (printed at a counter or posted; IdentityHub.Enrolment issues
/// them, docs/authentication.md "Recovery"). Only the account's newest printed letter counts; its code works once, until
/// it expires, and the letter is locked after <see cref="MaxAttempts"/> wrong tries — counted as activation counts them:
/// in the UPDATE that checks the limit, before the code is compared, so a burst gets no more comparisons than tries were
/// left. A right code, in one transaction: a new password; every TOTP app, passkey and recovery code removed; lock-out
/// cleared; every session ended; the letter spent; a notice and an audit event. The eID, its certificates and keys and
/// the citizen's consents are not touched.
/// </summary>
public sealed class AccountRecovery(
    HubDbContext db, UserManager<HubAccount> users, HubSessions sessions, PasswordHashingGate gate, AuditLog audit, TimeProvider time,
    ILogger<AccountRecovery> logger)
{
    public const int MaxAttempts = Activation.CitizenActivation.MaxAttempts;

    public async Task<RecoveryResult> RecoverAsync(string? nationalIdInput, string? code, string newPassword, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(newPassword);
        if (!NationalId.TryParse(nationalIdInput, out var nationalId, out _))
        {
            return new RecoveryResult(RecoveryError.Refused);
        }

        var id = nationalId.Value.Value;
        var account = await db.Users.FirstOrDefaultAsync(u => u.UserName == id && u.Kind == AccountKind.Citizen, ct);

        // The password rules look at the password and the national id typed, never at the account: checked first, they
        // answer the same for every national id, and a password the rules refuse costs the letter no try.
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, new HubAccount { UserName = id }, newPassword);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }

        if (problems.Count > 0)
        {
            return new RecoveryResult(RecoveryError.PasswordRejected, PasswordErrors: problems);
        }

        if (account is null)
        {
            return await RefusedAsync(id, "no-account", ct);
        }

        // Only the newest printed letter works: an older one is superseded even while unused.
        var letter = await db.RecoveryLetters.AsNoTracking().Where(l => l.AccountId == account.Id && l.PrintedAt != null)
            .OrderByDescending(l => l.PrintedAt).ThenByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow();
        var refusal = letter switch
        {
            null => "no-letter",
            { UsedAt: not null } => "code-used",
            { FailedAttempts: >= MaxAttempts } => "locked",
            _ when letter.ExpiresAt <= now => "expired",
            _ => null,
        };
        if (refusal is not null)
        {
            return await RefusedAsync(id, refusal, ct);
        }

        // The try is counted before the code is compared, in the statement that checks the limit (CitizenActivation
        // does the same): of a burst of guesses, no more are compared than tries were left.
        var reserved = await db.Database.SqlQuery<int>($"""
            UPDATE accounts.recovery_letters SET "FailedAttempts" = "FailedAttempts" + 1
            WHERE "Id" = {letter!.Id} AND "FailedAttempts" < {MaxAttempts} AND "UsedAt" IS NULL
            RETURNING "FailedAttempts" AS "Value"
            """).ToListAsync(ct);
        if (reserved is not [var count])
        {
            var spentMeanwhile = await db.RecoveryLetters.AnyAsync(l => l.Id == letter.Id && l.UsedAt != null, ct);
            return await RefusedAsync(id, spentMeanwhile ? "code-used" : "locked", ct);
        }

        if (!LetterCodes.Matches(LetterCodes.AccountRecovery, letter.Id, code ?? "", letter.CodeHash))
        {
            return await RefusedAsync(id, count >= MaxAttempts ? "wrong-code-locked" : "wrong-code", ct);
        }

        // Argon2id outside the transaction, waiting for its turn like every password hash.
        var passwordHash = await gate.RunAsync(() => Task.FromResult(users.PasswordHasher.HashPassword(account, newPassword)), ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Spend the letter and give back the try it took: of two requests racing with the right code, one goes on.
        var spent = await db.RecoveryLetters.Where(l => l.Id == letter.Id && l.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.UsedAt, now).SetProperty(l => l.FailedAttempts, l => l.FailedAttempts - 1), ct);
        if (spent != 1)
        {
            await transaction.RollbackAsync(ct);
            return await RefusedAsync(id, "code-used", ct);
        }

        var totps = await db.TotpAuthenticators.Where(t => t.AccountId == account.Id).ExecuteDeleteAsync(ct);
        await db.PasskeyDetails.Where(t => t.AccountId == account.Id).ExecuteDeleteAsync(ct);
        var passkeys = await db.UserPasskeys.Where(t => t.UserId == account.Id).ExecuteDeleteAsync(ct);
        await db.RecoveryCodes.Where(t => t.AccountId == account.Id).ExecuteDeleteAsync(ct);
        var ended = await sessions.EndAllAsync(account.Id, "recovered", ct);
        account.PasswordHash = passwordHash;
        account.MustChangePassword = false;
        account.AccessFailedCount = 0;
        account.LockoutEpisodes = 0;
        account.LockoutEnd = null;
        AccountNotices.Add(db, account.Id, NoticeKinds.AccountRecovered, now, new Dictionary<string, string> { ["delivery"] = letter.Delivery });
        await db.SaveChangesAsync(ct);
        // A new security stamp: anything issued on the old credentials (cookies, remembered logins) stops validating.
        var stamped = await users.UpdateSecurityStampAsync(account);
        if (!stamped.Succeeded)
        {
            throw new InvalidOperationException("The recovered account could not be saved: " + string.Join(" ", stamped.Errors.Select(e => e.Code)));
        }

        await audit.AppendAsync(new AuditEvent("auth.recovery.completed", id, id, new Dictionary<string, string>
        {
            ["letter"] = letter.Id.ToString(),
            ["delivery"] = letter.Delivery,
            ["totpRemoved"] = totps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["passkeysRemoved"] = passkeys.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["sessionsEnded"] = ended.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), ct);
        await transaction.CommitAsync(ct);
        logger.AccountRecovered(id);
        return new RecoveryResult(RecoveryError.None, account);
    }

    private async Task<RecoveryResult> RefusedAsync(string nationalId, string reason, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent("auth.recovery.refused", "anonymous", nationalId, new Dictionary<string, string> { ["reason"] = reason }), ct);
        logger.RecoveryRefused(reason);
        AuthenticationMetrics.Refusals.Add(1, new KeyValuePair<string, object?>("step", "recovery"));
        return new RecoveryResult(RecoveryError.Refused);
    }
}
