using System.Security.Claims;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Login;

/// <summary>Why a password change was refused; <see cref="Field"/> names the form field the message belongs to.</summary>
public sealed record PasswordChangeError(string Field, string Message);

/// <summary>
/// Password changes (the forced first change of a one-time password, and later ones): the current password must be
/// right, the new one passes the hub's validators; the account's other sessions end and the change is audited.
/// </summary>
public sealed class PasswordChanges(UserManager<HubAccount> users, HubSessions sessions, AuditLog audit, ILogger<PasswordChanges> logger)
{
    public const string CurrentPasswordField = "CurrentPassword";
    public const string NewPasswordField = "NewPassword";

    public async Task<IReadOnlyList<PasswordChangeError>> ChangeAsync(ClaimsPrincipal principal, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var account = await users.GetUserAsync(principal)
            ?? throw new InvalidOperationException("The signed-in account no longer exists.");
        if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            return [new PasswordChangeError(NewPasswordField, "Choose a new password that is different from the current one.")];
        }

        var changed = await users.ChangePasswordAsync(account, currentPassword, newPassword);
        if (!changed.Succeeded)
        {
            return changed.Errors.Select(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)
                ? new PasswordChangeError(CurrentPasswordField, "The current password is wrong.")
                : new PasswordChangeError(NewPasswordField, e.Description)).ToList();
        }

        account.MustChangePassword = false;
        await users.UpdateAsync(account);
        if (principal.SessionIdOf() is { } keep)
        {
            await sessions.EndOthersAsync(account.Id, keep, "password-changed", cancellationToken);
        }

        await audit.AppendAsync(new AuditEvent("auth.password.changed", account.UserName!, account.UserName!), cancellationToken);
        logger.PasswordChanged(account.UserName!);
        return [];
    }
}
