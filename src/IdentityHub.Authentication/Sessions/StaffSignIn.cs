using System.Security.Claims;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Sessions;

/// <summary>Why a password change was refused; <see cref="Field"/> names the form field the message belongs to.</summary>
public sealed record PasswordChangeError(string Field, string Message);

/// <summary>Password sign-in and the forced password change for staff, audited.</summary>
public sealed class StaffSignIn(SignInManager<HubAccount> signIn, AuditLog audit, ILogger<StaffSignIn> logger)
{
    public const string CurrentPasswordField = "CurrentPassword";
    public const string NewPasswordField = "NewPassword";

    /// <summary>
    /// Signs in with the console cookie. Returns false for every failure alike (unknown account, wrong password, locked
    /// out, disabled, not staff) so the page cannot tell them apart; the audit log records which it was.
    /// </summary>
    public async Task<bool> PasswordSignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var subject = userName.Length > 256 ? userName[..256] : userName;
        var account = await signIn.UserManager.FindByNameAsync(userName);
        SignInResult result = account is { Kind: AccountKind.Staff }
            ? await signIn.PasswordSignInAsync(account, password, isPersistent: false, lockoutOnFailure: true)
            : SignInResult.Failed;
        if (result.Succeeded)
        {
            await audit.AppendAsync(new AuditEvent("staff.signin.succeeded", account!.UserName!, account.UserName!), cancellationToken);
            logger.SignInSucceeded(account.UserName!);
            return true;
        }

        var reason = account is null ? "unknown-account"
            : account.Kind != AccountKind.Staff ? "not-staff"
            : account.DisabledAt is not null ? "disabled"
            : result.IsLockedOut ? "locked-out"
            : result.IsNotAllowed ? "not-allowed"
            : "wrong-password";
        await audit.AppendAsync(new AuditEvent("staff.signin.failed", "anonymous", subject, new Dictionary<string, string> { ["reason"] = reason }), cancellationToken);
        logger.SignInFailed(reason);
        return false;
    }

    /// <summary>Replaces the signed-in account's password and ends the must-change state; refreshes the session cookie.</summary>
    public async Task<IReadOnlyList<PasswordChangeError>> ChangePasswordAsync(
        ClaimsPrincipal principal, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var account = await signIn.UserManager.GetUserAsync(principal)
            ?? throw new InvalidOperationException("The signed-in account no longer exists.");
        if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            return [new PasswordChangeError(NewPasswordField, "Choose a new password that is different from the current one.")];
        }

        var changed = await signIn.UserManager.ChangePasswordAsync(account, currentPassword, newPassword);
        if (!changed.Succeeded)
        {
            return changed.Errors.Select(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)
                ? new PasswordChangeError(CurrentPasswordField, "The current password is wrong.")
                : new PasswordChangeError(NewPasswordField, e.Description)).ToList();
        }

        account.MustChangePassword = false;
        await signIn.UserManager.UpdateAsync(account);
        await audit.AppendAsync(new AuditEvent("staff.password.changed", account.UserName!, account.UserName!), cancellationToken);
        await signIn.RefreshSignInAsync(account);
        logger.PasswordChanged(account.UserName!);
        return [];
    }

    public async Task SignOutAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var name = principal?.Identity?.Name;
        await signIn.SignOutAsync();
        if (name is not null)
        {
            await audit.AppendAsync(new AuditEvent("staff.signout", name, name), cancellationToken);
        }
    }
}
