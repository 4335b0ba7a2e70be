using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Authentication.Notices;

/// <summary>
/// The kinds of security notice the authentication library writes (<see cref="AccountNotices.Add"/>, in the transaction
/// of the change and beside its audit event). Details carry "factor" (passkey, totp) and "name" (the authenticator's
/// name; after a rename, the new one).
/// </summary>
public static class NoticeKinds
{
    public const string FactorAdded = "factor-added";
    public const string FactorRenamed = "factor-renamed";
    public const string FactorRemoved = "factor-removed";
    public const string PasswordChanged = "password-changed";

    /// <summary>A recovery letter's code reset the password and removed every second factor (details: "delivery").</summary>
    public const string AccountRecovered = "account-recovered";

    public static IReadOnlyList<string> All { get; } = [FactorAdded, FactorRenamed, FactorRemoved, PasswordChanged, AccountRecovered];
}

/// <summary>One notice as the account page shows it.</summary>
public sealed record SecurityNotice(long Id, string Kind, DateTimeOffset At, IReadOnlyDictionary<string, string> Details, bool Read);

/// <summary>Reads an account's security notices (written by every area through <see cref="AccountNotices"/>), newest first.</summary>
public sealed class SecurityNotices(HubDbContext db)
{
    public async Task<IReadOnlyList<SecurityNotice>> RecentAsync(Guid accountId, int count, CancellationToken ct)
    {
        var rows = await db.AccountNotices.AsNoTracking().Where(n => n.AccountId == accountId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(count).ToListAsync(ct);
        return rows.Select(n => new SecurityNotice(n.Id, n.Kind, n.CreatedAt, AccountNotices.DetailsOf(n), n.ReadAt is not null)).ToList();
    }
}
