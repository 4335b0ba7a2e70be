using System.Security.Cryptography;
using System.Text;
using IdentityHub.Core.Audit;
using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Authentication.Recovery;

/// <summary>
/// Ten single-use recovery codes per account, shown once and stored only as SHA-256 hashes bound to the account. Each
/// code is 10 characters of Crockford base 32 (50 bits from the OS CSPRNG), so a hash cannot be reversed by guessing;
/// redeeming marks the code used with a conditional UPDATE, so a code works once on any node. A new set replaces the old.
/// </summary>
public sealed class RecoveryCodes(HubDbContext db, AuditLog audit, TimeProvider time)
{
    public const int Count = 10;

    /// <summary>Replaces the account's codes with ten new ones and returns them (the only time they exist in clear).</summary>
    public async Task<IReadOnlyList<string>> ReplaceAsync(HubAccount account, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = time.GetUtcNow();
        var codes = Enumerable.Range(0, Count).Select(_ => NewCode()).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.RecoveryCodes.Where(r => r.AccountId == account.Id).ExecuteDeleteAsync(ct);
        db.RecoveryCodes.AddRange(codes.Select(c => new RecoveryCodeRecord { AccountId = account.Id, CodeHash = Hash(account.Id, c), CreatedAt = now }));
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("auth.recovery-codes.created", actor, account.UserName!,
            new Dictionary<string, string> { ["count"] = Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }), ct);
        await transaction.CommitAsync(ct);
        return codes;
    }

    /// <summary>Uses up a code; false when it is wrong or was used before.</summary>
    public async Task<bool> RedeemAsync(Guid accountId, string? code, CancellationToken ct)
    {
        var normalised = Normalise(code);
        if (normalised.Length != 10)
        {
            return false;
        }

        var hash = Hash(accountId, normalised);
        var now = time.GetUtcNow();
        var used = await db.RecoveryCodes.Where(r => r.AccountId == accountId && r.CodeHash == hash && r.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.UsedAt, now), ct);
        return used == 1;
    }

    public Task<int> RemainingAsync(Guid accountId, CancellationToken ct) =>
        db.RecoveryCodes.CountAsync(r => r.AccountId == accountId && r.UsedAt == null, ct);

    internal static byte[] Hash(Guid accountId, string code) =>
        SHA256.HashData(Encoding.ASCII.GetBytes($"recovery-code:{accountId:N}:{Normalise(code)}"));

    internal static string Normalise(string? typed) => Crockford.Normalise(typed);

    private static string NewCode() => Crockford.Random(10, 5);
}
