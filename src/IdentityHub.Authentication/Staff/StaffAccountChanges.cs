using System.Globalization;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Authentication.Notices;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Staff;

/// <summary>
/// What an admin (console) or an operator (hubctl) changes on an existing staff account besides its service points:
/// disabling it from the console (never one's own account, never the last enabled admin), a new one-time password, and
/// its roles. Every change is audited in the same transaction as the change itself.
/// </summary>
public sealed class StaffAccountChanges(
    UserManager<HubAccount> users, HubDbContext db, StaffAccounts accounts, AuditLog audit, Sessions.HubSessions sessions, TimeProvider time,
    ILogger<StaffAccountChanges> logger)
{
    /// <summary>
    /// Why the admin <paramref name="admin"/> may not disable <paramref name="userName"/> in the console; null when they may.
    /// An admin cannot lock themself out, and the console never leaves the hub without an enabled admin (hubctl can:
    /// `bootstrap-admin --force` is the way back, on the server).
    /// </summary>
    public async Task<string?> WhyNotDisableAsync(string userName, string admin, CancellationToken ct)
    {
        var account = await FindAsync(userName, ct);
        if (account is null)
        {
            return $"There is no staff account named '{userName}'.";
        }

        if (string.Equals(account.UserName, admin, StringComparison.Ordinal))
        {
            return "You cannot disable your own account. Another admin can.";
        }

        if (account.DisabledAt is not null)
        {
            return $"The account {account.UserName} is disabled already.";
        }

        var admins = await users.GetUsersInRoleAsync(StaffRoles.Admin);
        return admins.Any(a => a.Id == account.Id) && admins.Count(a => a.DisabledAt is null) <= 1
            ? $"{account.UserName} is the last enabled admin: the hub would be left without one."
            : null;
    }

    /// <summary>
    /// Disables an account from the console, after <see cref="WhyNotDisableAsync"/>; null on success, otherwise why not.
    /// Two admins disabling each other at once must not both pass the last-admin check: the check and the change run in
    /// one transaction under a transaction-scoped advisory lock, so the second one waits and then sees the first.
    /// </summary>
    public async Task<string?> DisableAsync(string userName, string admin, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdminChangesLock})", ct);
        var why = await WhyNotDisableAsync(userName, admin, ct) ?? await accounts.DisableAsync(userName, admin, ct);
        if (why is null)
        {
            await transaction.CommitAsync(ct);
        }

        return why;
    }

    /// <summary>The advisory lock key that serialises console changes which could leave the hub without an enabled admin.</summary>
    private const long AdminChangesLock = 0x4855_4241_444D_494E; // "HUBADMIN"

    /// <summary>
    /// Replaces the password of an enabled staff account with a new one-time password (shown once by the caller) that
    /// must be changed at the next sign-in. Every open session of the account ends, and a lock-out is lifted. The
    /// account keeps its authenticators: the holder still signs in with their second factor (or a recovery code),
    /// and one who has none sets one up in the session the one-time password opens.
    /// </summary>
    public async Task<StaffAccountCreation> ResetPasswordAsync(string userName, string actor, CancellationToken ct)
    {
        var account = await FindAsync(userName, ct);
        if (account is null)
        {
            return StaffAccountCreation.Failed($"There is no staff account named '{userName}'.");
        }

        if (account.DisabledAt is not null)
        {
            return StaffAccountCreation.Failed($"The account {account.UserName} is disabled: it cannot get a new password.");
        }

        if (string.Equals(account.UserName, actor, StringComparison.Ordinal))
        {
            return StaffAccountCreation.Failed("Change your own password on the password page, not here.");
        }

        var oneTimePassword = OneTimePasswords.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var removed = await users.RemovePasswordAsync(account);
        var added = removed.Succeeded ? await users.AddPasswordAsync(account, oneTimePassword) : removed;
        if (!added.Succeeded)
        {
            return StaffAccountCreation.Failed(StaffAccounts.Describe(added));
        }

        account.MustChangePassword = true;
        account.LockoutEnd = null;
        account.AccessFailedCount = 0;
        var updated = await users.UpdateAsync(account);
        if (!updated.Succeeded)
        {
            return StaffAccountCreation.Failed(StaffAccounts.Describe(updated));
        }

        var ended = await sessions.EndAllAsync(account.Id, "password-reset", ct);
        AccountNotices.Add(db, account.Id, NoticeKinds.PasswordChanged, time.GetUtcNow(), new Dictionary<string, string> { ["by"] = actor });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("staff.account.password-reset", actor, account.UserName!,
            new Dictionary<string, string> { ["sessionsEnded"] = ended.ToString(CultureInfo.InvariantCulture) }), ct);
        await transaction.CommitAsync(ct);
        logger.StaffPasswordReset(account.UserName!, actor);
        return new StaffAccountCreation(account.UserName, oneTimePassword, null);
    }

    /// <summary>
    /// Gives a staff account exactly <paramref name="roles"/> (at least one). Its open sessions end on their next
    /// request: the session row check compares the roles a session was made with to the account's.
    /// </summary>
    /// <returns>null on success (also when nothing changed), otherwise why not.</returns>
    public async Task<string?> SetRolesAsync(string userName, IReadOnlyCollection<string> roles, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var wanted = roles.Select(r => r.Trim().ToLowerInvariant()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return "name at least one role";
        }

        if (wanted.FirstOrDefault(r => !StaffRoles.IsKnown(r)) is { } unknown)
        {
            return $"unknown role '{unknown}': use one of {string.Join(", ", StaffRoles.All)}";
        }

        var account = await FindAsync(userName, ct);
        if (account is null)
        {
            return $"no staff account named '{userName}'";
        }

        var current = (await users.GetRolesAsync(account)).Order(StringComparer.Ordinal).ToList();
        if (current.SequenceEqual(wanted, StringComparer.Ordinal))
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var removed = await users.RemoveFromRolesAsync(account, current.Except(wanted, StringComparer.Ordinal));
        var added = removed.Succeeded ? await users.AddToRolesAsync(account, wanted.Except(current, StringComparer.Ordinal)) : removed;
        if (!added.Succeeded)
        {
            return StaffAccounts.Describe(added);
        }

        await audit.AppendAsync(new AuditEvent("staff.account.roles-changed", actor, account.UserName!, new Dictionary<string, string>
        {
            ["roles"] = string.Join(' ', wanted),
            ["previous"] = string.Join(' ', current),
        }), ct);
        await transaction.CommitAsync(ct);
        logger.StaffRolesSet(account.UserName!, string.Join(',', wanted), actor);
        return null;
    }

    private async Task<HubAccount?> FindAsync(string userName, CancellationToken ct)
    {
        var name = (userName ?? "").Trim();
        var id = await db.Users.AsNoTracking().Where(u => u.UserName == name && u.Kind == AccountKind.Staff).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        return id is { } found ? await users.FindByIdAsync(found.ToString()) : null;
    }
}
