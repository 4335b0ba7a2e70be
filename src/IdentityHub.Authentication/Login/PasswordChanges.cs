using System.Security.Claims;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Authentication.Notices;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Login;

/// <summary>Why a password change was refused; <see cref="Field"/> names the form field the message belongs to.</summary>
public sealed record PasswordChangeError(string Field, string Message);

/// <summary>
/// Password changes (the forced first change of a one-time password, and later ones): the current password must be
/// right, the new one passes the hub's validators; the account's other sessions end, and the change is audited with a
/// notice for the account holder in the same transaction. The current password is a guess like one at sign-in: the
/// attempt counts toward the lock-out before it is checked (<see cref="AccountLockout.ReserveAsync"/>), and the
/// Argon2id work (verifying the current password, hashing the new one) waits for its turn in the
/// <see cref="Passwords.PasswordHashingGate"/>.
/// </summary>
public sealed class PasswordChanges(
    UserManager<HubAccount> users, HubSessions sessions, AccountLockout lockout, Passwords.PasswordHashingGate gate, HubDbContext db, AuditLog audit,
    TimeProvider time, ILogger<PasswordChanges> logger)
{
    public const string CurrentPasswordField = "CurrentPassword";
    public const string NewPasswordField = "NewPassword";

    private const string Paused = "Too many wrong tries: changing the password is paused for a while. Try again later.";

    public async Task<IReadOnlyList<PasswordChangeError>> ChangeAsync(ClaimsPrincipal principal, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var account = await users.GetUserAsync(principal)
            ?? throw new InvalidOperationException("The signed-in account no longer exists.");
        if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            return [new PasswordChangeError(NewPasswordField, "Choose a new password that is different from the current one.")];
        }

        var attempt = await lockout.ReserveAsync(account, cancellationToken);
        if (!attempt.Reserved)
        {
            await RefusedAsync(account, "locked-out", cancellationToken);
            return [new PasswordChangeError(CurrentPasswordField, Paused)];
        }

        IdentityResult changed;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            changed = await gate.RunAsync(() => users.ChangePasswordAsync(account, currentPassword, newPassword), cancellationToken);
            if (changed.Succeeded)
            {
                account.MustChangePassword = false;
                await users.UpdateAsync(account);
                if (principal.SessionIdOf() is { } keep)
                {
                    await sessions.EndOthersAsync(account.Id, keep, "password-changed", cancellationToken);
                }

                AccountNotices.Add(db, account.Id, NoticeKinds.PasswordChanged, time.GetUtcNow());
                await audit.AppendAsync(new AuditEvent("auth.password.changed", account.UserName!, account.UserName!), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }

        if (changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            var locked = await lockout.FailedAsync(account, attempt, cancellationToken) is not null;
            await RefusedAsync(account, locked ? "wrong-current-password-locked" : "wrong-current-password", cancellationToken);
            return [new PasswordChangeError(CurrentPasswordField, locked ? Paused : "The current password is wrong.")];
        }

        // The current password was right (the new one may still fail the validators): the attempt is given back.
        await lockout.ReleaseAsync(account, attempt, cancellationToken);
        if (!changed.Succeeded)
        {
            return changed.Errors.Select(e => new PasswordChangeError(NewPasswordField, e.Description)).ToList();
        }

        logger.PasswordChanged(account.UserName!);
        return [];
    }

    private async Task RefusedAsync(HubAccount account, string reason, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent("auth.password.change-refused", account.UserName!, account.UserName!,
            new Dictionary<string, string> { ["reason"] = reason }), ct);
        logger.LoginStepFailed("password-change", reason);
        AuthenticationMetrics.Refusals.Add(1, new KeyValuePair<string, object?>("step", "password-change"));
    }
}
