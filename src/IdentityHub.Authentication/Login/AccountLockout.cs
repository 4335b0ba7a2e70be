using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Login;

/// <summary>
/// Counts failed sign-in steps per account and locks it with exponential back-off (<see cref="LockoutOptions"/>). The
/// count moves in one UPDATE, so parallel guesses on many nodes are all counted; Identity's own lock-out is not used
/// (it has a fixed duration and counts under the concurrency stamp, where racing failures are lost).
/// </summary>
public sealed class AccountLockout(HubDbContext db, AuditLog audit, TimeProvider time, IOptions<LockoutOptions> options)
{
    public bool IsLockedOut(HubAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.LockoutEnd is { } end && end > time.GetUtcNow();
    }

    /// <summary>Counts one failure; returns when the account is now locked until, if this failure locked it.</summary>
    public async Task<DateTimeOffset?> RegisterFailureAsync(HubAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var policy = options.Value;
        var now = time.GetUtcNow();
        var rows = await db.Database.SqlQuery<FailureRow>($"""
            UPDATE accounts.users SET
              "AccessFailedCount" = CASE WHEN "AccessFailedCount" + 1 >= {policy.MaxFailedAttempts} THEN 0 ELSE "AccessFailedCount" + 1 END,
              "LockoutEpisodes" = CASE WHEN "AccessFailedCount" + 1 >= {policy.MaxFailedAttempts} THEN "LockoutEpisodes" + 1 ELSE "LockoutEpisodes" END
            WHERE "Id" = {account.Id}
            RETURNING "AccessFailedCount", "LockoutEpisodes"
            """).ToListAsync(ct);
        if (rows is not [{ AccessFailedCount: 0 } row])
        {
            return null;
        }

        // This failure completed a round: lock for FirstLockout × 2^(episodes before this one).
        var until = now + policy.LockoutAfter(row.LockoutEpisodes - 1);
        await db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, until), ct);
        account.LockoutEnd = until;
        await audit.AppendAsync(new AuditEvent("auth.lockout", "anonymous", account.UserName!, new Dictionary<string, string>
        {
            ["until"] = until.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["episode"] = row.LockoutEpisodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), ct);
        return until;
    }

    /// <summary>After a complete sign-in: the count and the back-off start again.</summary>
    public Task ResetAsync(HubAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.AccessFailedCount == 0 && account.LockoutEpisodes == 0
            ? Task.CompletedTask
            : db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.AccessFailedCount, 0).SetProperty(x => x.LockoutEpisodes, 0), ct);
    }

    private sealed class FailureRow
    {
        public int AccessFailedCount { get; set; }

        public int LockoutEpisodes { get; set; }
    }
}
