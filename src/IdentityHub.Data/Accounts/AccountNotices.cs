using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Data.Accounts;

/// <summary>
/// Writes security notices for account holders (<see cref="AccountNoticeRecord"/>) inside the caller's transaction, so
/// a change and the notice about it commit together. Every area that changes what a citizen or staff member relies
/// on calls it beside its audit event.
/// </summary>
public static class AccountNotices
{
    public static void Add(HubDbContext db, Guid accountId, string kind, DateTimeOffset at, IReadOnlyDictionary<string, string>? details = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.AccountNotices.Add(new AccountNoticeRecord
        {
            AccountId = accountId,
            CreatedAt = at,
            Kind = kind,
            Details = JsonSerializer.Serialize(details ?? new Dictionary<string, string>()),
        });
    }

    /// <summary>The notice for the citizen account of a registry person, when the person has one (nothing otherwise).</summary>
    public static async Task<bool> AddForPersonAsync(HubDbContext db, Guid personId, string kind, DateTimeOffset at, IReadOnlyDictionary<string, string>? details, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var accountId = await db.Users.Where(u => u.PersonId == personId).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        if (accountId is not { } id)
        {
            return false;
        }

        Add(db, id, kind, at, details);
        return true;
    }

    public static IReadOnlyDictionary<string, string> DetailsOf(AccountNoticeRecord notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(notice.Details) ?? [];
    }
}
