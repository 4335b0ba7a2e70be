using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Login;

/// <summary>
/// An attempt counted as failed before its guess is checked (<see cref="AccountLockout.ReserveAsync"/>).
/// </summary>
/// <param name="Reserved">False: the account was locked (or disabled) when the attempt came; nothing may be checked.</param>
/// <param name="LockedUntil">Set when this attempt completed a round and locked the account.</param>
public sealed record AttemptReservation(bool Reserved, DateTimeOffset? LockedUntil = null, int Episode = 0);

/// <summary>
/// Counts failed sign-in steps per account and locks it with exponential back-off (<see cref="LockoutOptions"/>). An
/// attempt is counted before its guess is checked, in the one UPDATE that also checks the lock: a burst of guesses on
/// any number of nodes gets at most the attempts left, and the one that completes a round locks the account at once
/// (NIST SP 800-63B §5.2.2). A guess that turns out right gives its attempt back. Identity's own lock-out is not used (it
/// has a fixed duration and counts under the concurrency stamp, where racing failures are lost).
/// </summary>
public sealed class AccountLockout(HubDbContext db, AuditLog audit, TimeProvider time, IOptions<LockoutOptions> options)
{
    public bool IsLockedOut(HubAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.LockoutEnd is { } end && end > time.GetUtcNow();
    }

    /// <summary>
    /// Counts one failed attempt unless the account is locked, in one statement. The attempt that completes a round of
    /// <see cref="LockoutOptions.MaxFailedAttempts"/> locks the account for FirstLockout × 2^(earlier lock-outs), at most
    /// LongestLockout. Check the guess only when <see cref="AttemptReservation.Reserved"/>; then call
    /// <see cref="FailedAsync"/> or <see cref="ReleaseAsync"/>.
    /// </summary>
    public async Task<AttemptReservation> ReserveAsync(HubAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var policy = options.Value;
        var now = time.GetUtcNow();
        var first = policy.FirstLockout.TotalSeconds;
        var longest = policy.LongestLockout.TotalSeconds;
        // Every SET expression reads the row as it was, so "LockoutEpisodes" is the number of earlier lock-outs.
        var rows = await db.Database.SqlQuery<LockoutRow>($"""
            UPDATE accounts.users SET
              "AccessFailedCount" = CASE WHEN "AccessFailedCount" + 1 >= {policy.MaxFailedAttempts} THEN 0 ELSE "AccessFailedCount" + 1 END,
              "LockoutEpisodes" = CASE WHEN "AccessFailedCount" + 1 >= {policy.MaxFailedAttempts} THEN "LockoutEpisodes" + 1 ELSE "LockoutEpisodes" END,
              "LockoutEnd" = CASE WHEN "AccessFailedCount" + 1 >= {policy.MaxFailedAttempts}
                THEN {now} + make_interval(secs => LEAST({first} * power(2::float8, LEAST("LockoutEpisodes", 30)::float8), {longest}))
                ELSE "LockoutEnd" END
            WHERE "Id" = {account.Id} AND ("LockoutEnd" IS NULL OR "LockoutEnd" <= {now})
            RETURNING "AccessFailedCount", "LockoutEpisodes", "LockoutEnd"
            """).ToListAsync(ct);
        if (rows is not [var row])
        {
            return new AttemptReservation(false);
        }

        Sync(account, row.AccessFailedCount, row.LockoutEpisodes, row.LockoutEnd);
        return row.AccessFailedCount == 0 && row.LockoutEnd is { } until && until > now
            ? new AttemptReservation(true, until, row.LockoutEpisodes)
            : new AttemptReservation(true);
    }

    /// <summary>The guess was wrong: the reserved attempt stays counted. Returns the lock's end when this attempt locked the account.</summary>
    public async Task<DateTimeOffset?> FailedAsync(HubAccount account, AttemptReservation reservation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.LockedUntil is not { } until)
        {
            return null;
        }

        await audit.AppendAsync(new AuditEvent("auth.lockout", "anonymous", account.UserName!, new Dictionary<string, string>
        {
            ["until"] = until.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["episode"] = reservation.Episode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), ct);
        return until;
    }

    /// <summary>
    /// The guess was right: the attempt is given back. If it had locked the account (the last attempt of a round), the
    /// lock and its episode are undone as well — no other attempt was checked meanwhile, since the account was locked.
    /// </summary>
    public async Task ReleaseAsync(HubAccount account, AttemptReservation reservation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(reservation);
        if (!reservation.Reserved)
        {
            return;
        }

        var last = options.Value.MaxFailedAttempts - 1;
        var rows = reservation.LockedUntil is { } until
            ? await db.Database.SqlQuery<LockoutRow>($"""
                UPDATE accounts.users SET "AccessFailedCount" = {last}, "LockoutEpisodes" = GREATEST("LockoutEpisodes" - 1, 0), "LockoutEnd" = NULL
                WHERE "Id" = {account.Id} AND "LockoutEnd" = {until}
                RETURNING "AccessFailedCount", "LockoutEpisodes", "LockoutEnd"
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<LockoutRow>($"""
                UPDATE accounts.users SET "AccessFailedCount" = GREATEST("AccessFailedCount" - 1, 0)
                WHERE "Id" = {account.Id}
                RETURNING "AccessFailedCount", "LockoutEpisodes", "LockoutEnd"
                """).ToListAsync(ct);
        if (rows is [var row])
        {
            Sync(account, row.AccessFailedCount, row.LockoutEpisodes, row.LockoutEnd);
        }
    }

    /// <summary>After a complete sign-in: the count and the back-off start again.</summary>
    public Task ResetAsync(HubAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.AccessFailedCount == 0 && account.LockoutEpisodes == 0
            ? Task.CompletedTask
            : db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.AccessFailedCount, 0).SetProperty(x => x.LockoutEpisodes, 0), ct);
    }

    /// <summary>
    /// The account object follows the row without being marked changed, so a later save of it (Identity's rehash, say)
    /// neither undoes the count nor writes it again.
    /// </summary>
    private void Sync(HubAccount account, int count, int episodes, DateTimeOffset? end)
    {
        var entry = db.Entry(account);
        if (entry.State == EntityState.Detached)
        {
            (account.AccessFailedCount, account.LockoutEpisodes, account.LockoutEnd) = (count, episodes, end);
            return;
        }

        entry.Property(a => a.AccessFailedCount).CurrentValue = count;
        entry.Property(a => a.AccessFailedCount).OriginalValue = count;
        entry.Property(a => a.LockoutEpisodes).CurrentValue = episodes;
        entry.Property(a => a.LockoutEpisodes).OriginalValue = episodes;
        entry.Property(a => a.LockoutEnd).CurrentValue = end;
        entry.Property(a => a.LockoutEnd).OriginalValue = end;
    }

    private sealed class LockoutRow
    {
        public int AccessFailedCount { get; set; }

        public int LockoutEpisodes { get; set; }

        public DateTimeOffset? LockoutEnd { get; set; }
    }
}
