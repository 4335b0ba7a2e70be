using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Staff;

/// <summary>
/// Creates, lists and disables staff accounts; used by hubctl and the console's admin page. Every change is audited in
/// the same transaction as the change itself.
/// </summary>
public sealed class StaffAccounts(
    UserManager<HubAccount> users, HubDbContext db, AuditLog audit, Sessions.HubSessions sessions, TimeProvider time, ILogger<StaffAccounts> logger)
{
    /// <summary>
    /// Creates the first admin; refuses when an admin exists unless <paramref name="force"/>. When every admin is
    /// disabled (disabling is for good), the refusal says so and names the command that creates a new admin.
    /// </summary>
    public async Task<StaffAccountCreation> BootstrapAdminAsync(string userName, string? displayName, bool force, string actor, CancellationToken cancellationToken)
    {
        IList<HubAccount> admins = force ? [] : await users.GetUsersInRoleAsync(StaffRoles.Admin);
        if (admins.Count > 0 && admins.All(a => a.DisabledAt is not null))
        {
            var names = string.Join(", ", admins.Select(a => a.UserName).Order(StringComparer.Ordinal));
            return StaffAccountCreation.Failed(
                $"every admin account is disabled ({names}), and a disabled account cannot be enabled again; " +
                "create a new admin with `hubctl staff bootstrap-admin --user <name> --force`, then disable or keep the old ones as they are");
        }

        if (admins.Count > 0)
        {
            return StaffAccountCreation.Failed("an admin account already exists; create further accounts with `hubctl staff add` or in the console (--force creates another admin anyway)");
        }

        return await CreateAsync(userName, displayName, StaffRoles.Admin, actor, cancellationToken);
    }

    /// <summary>Creates a staff account with one role and a one-time password that must be changed at first sign-in.</summary>
    public async Task<StaffAccountCreation> CreateAsync(string userName, string? displayName, string role, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (!StaffRoles.IsKnown(role))
        {
            return StaffAccountCreation.Failed($"unknown role '{role}': use one of {string.Join(", ", StaffRoles.All)}");
        }

        var now = time.GetUtcNow();
        var account = new HubAccount
        {
            Id = Guid.CreateVersion7(now),
            UserName = userName.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? userName.Trim() : displayName.Trim(),
            Kind = AccountKind.Staff,
            MustChangePassword = true,
            CreatedAt = now,
            LockoutEnabled = true,
        };
        var oneTimePassword = OneTimePasswords.Create();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(account, oneTimePassword);
        if (!created.Succeeded)
        {
            return StaffAccountCreation.Failed(Describe(created));
        }

        var inRole = await users.AddToRoleAsync(account, role);
        if (!inRole.Succeeded)
        {
            return StaffAccountCreation.Failed(Describe(inRole));
        }

        await audit.AppendAsync(new AuditEvent("staff.account.created", actor, account.UserName, new Dictionary<string, string>
        {
            ["role"] = role,
            ["displayName"] = account.DisplayName,
        }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.StaffAccountCreated(account.UserName, role, actor);
        return new StaffAccountCreation(account.UserName, oneTimePassword, null);
    }

    public async Task<IReadOnlyList<StaffAccountSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.Users.AsNoTracking().Where(u => u.Kind == AccountKind.Staff).OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .AsNoTracking().ToListAsync(cancellationToken);
        var points = await db.StaffServicePoints.AsNoTracking().OrderBy(p => p.ServicePoint).ToListAsync(cancellationToken);
        return accounts.Select(a => new StaffAccountSummary(
            a.UserName ?? "",
            a.DisplayName,
            roles.Where(r => r.UserId == a.Id).Select(r => r.Name ?? "").Order(StringComparer.Ordinal).ToList(),
            a.CreatedAt,
            a.MustChangePassword,
            a.DisabledAt is not null)
        {
            ServicePoints = points.Where(p => p.AccountId == a.Id).Select(p => p.ServicePoint).ToList(),
        }).ToList();
    }

    /// <summary>Disables an account for good: locked out, and every open session ends at once (on every node).</summary>
    /// <returns>null on success, otherwise why not.</returns>
    public async Task<string?> DisableAsync(string userName, string actor, CancellationToken cancellationToken)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null || account.Kind != AccountKind.Staff)
        {
            return $"no staff account named '{userName}'";
        }

        if (account.DisabledAt is not null)
        {
            return null;
        }

        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        account.DisabledAt = time.GetUtcNow();
        account.LockoutEnabled = true;
        account.LockoutEnd = DateTimeOffset.MaxValue;
        var updated = await users.UpdateAsync(account);
        if (!updated.Succeeded)
        {
            return Describe(updated);
        }

        await users.UpdateSecurityStampAsync(account);
        var ended = await sessions.EndAllAsync(account.Id, "disabled", cancellationToken);
        await audit.AppendAsync(new AuditEvent("staff.account.disabled", actor, account.UserName!,
            new Dictionary<string, string> { ["sessionsEnded"] = ended.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        logger.StaffAccountDisabled(account.UserName!, actor);
        return null;
    }

    internal static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
