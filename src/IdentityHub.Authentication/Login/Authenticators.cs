using IdentityHub.Authentication.Assurance;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Authentication.Login;

/// <summary>One registered authenticator as the account pages list it.</summary>
public sealed record AuthenticatorView(
    string Kind, string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    string? Attestation = null, bool AttestationTrusted = false, bool BackupEligible = false, bool BackedUp = false, int SignCountRegressions = 0);

/// <summary>
/// The authenticators of an account: listed, renamed and removed. Removal is refused when the account would be left
/// without a way to reach the hub's default level of assurance (or, for an admin, without a passkey), so nobody locks
/// themselves out by mistake. Every change is audited.
/// </summary>
public sealed class Authenticators(
    HubDbContext db, UserManager<HubAccount> users, AccountMethods methods, AssurancePolicy policy, AuditLog audit)
{
    public const string PasskeyKind = "passkey";
    public const string TotpKind = "totp";

    public async Task<IReadOnlyList<AuthenticatorView>> ListAsync(HubAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var details = await db.PasskeyDetails.AsNoTracking().Where(d => d.AccountId == account.Id).ToListAsync(ct);
        var passkeys = await users.GetPasskeysAsync(account);
        var list = passkeys.Select(p =>
        {
            var d = details.FirstOrDefault(x => x.CredentialId.AsSpan().SequenceEqual(p.CredentialId));
            return new AuthenticatorView(PasskeyKind, Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(p.CredentialId), p.Name ?? "Passkey",
                p.CreatedAt, d?.LastUsedAt, d?.AttestationFormat, d?.AttestationTrusted ?? false, p.IsBackupEligible, p.IsBackedUp, d?.SignCountRegressions ?? 0);
        }).ToList();
        var totp = await db.TotpAuthenticators.AsNoTracking().Where(t => t.AccountId == account.Id).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        list.AddRange(totp.Select(t => new AuthenticatorView(TotpKind, t.Id.ToString(), t.Name, t.CreatedAt, t.LastUsedAt)));
        return list.OrderBy(a => a.CreatedAt).ToList();
    }

    /// <returns>null on success, otherwise why not.</returns>
    public async Task<string?> RenameAsync(HubAccount account, string kind, string id, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var newName = (name ?? "").Trim();
        if (newName.Length is 0 or > 100)
        {
            return "Enter a name of 1 to 100 characters.";
        }

        if (kind == PasskeyKind && TryCredentialId(id, out var credentialId) && await users.GetPasskeyAsync(account, credentialId) is { } passkey)
        {
            passkey.Name = newName;
            await users.AddOrUpdatePasskeyAsync(account, passkey);
        }
        else if (kind == TotpKind && Guid.TryParse(id, out var totpId)
            && await db.TotpAuthenticators.Where(t => t.Id == totpId && t.AccountId == account.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.Name, newName), ct) == 1)
        {
        }
        else
        {
            return "That authenticator does not exist.";
        }

        await audit.AppendAsync(new AuditEvent("auth.factor.renamed", account.UserName!, account.UserName!,
            new Dictionary<string, string> { ["factor"] = kind, ["name"] = newName }), ct);
        return null;
    }

    /// <returns>null on success, otherwise why not.</returns>
    public async Task<string?> RemoveAsync(HubAccount account, string kind, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var before = await methods.OfAsync(account, ct);
        var after = kind switch
        {
            PasskeyKind => before with
            {
                Passkeys = before.Passkeys - 1,
                AttestedPasskeys = Math.Max(0, before.AttestedPasskeys - (await IsAttestedAsync(id, ct) ? 1 : 0)),
            },
            TotpKind => before with { TotpApps = before.TotpApps - 1 },
            _ => before,
        };
        // What remains must still reach the default level with the password (recovery codes stand in for a lost
        // factor and do not count), and an admin keeps a passkey.
        var remaining = after.Usable().Where(m => m != AuthenticationMethods.RecoveryCode).ToHashSet(StringComparer.Ordinal);
        var password = new AuthenticationRecord(AuthenticationMethods.Password, DateTimeOffset.MinValue);
        if (before.IsAdmin && after.Passkeys == 0)
        {
            return "An admin must keep at least one passkey. Add another passkey first.";
        }

        if (!after.HasSecondFactor || policy.Missing([password], policy.DefaultLevel, remaining) is null)
        {
            return "This is your last way to sign in at your level. Add another authenticator first.";
        }

        string name;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (kind == PasskeyKind && TryCredentialId(id, out var credentialId) && await users.GetPasskeyAsync(account, credentialId) is { } passkey)
        {
            name = passkey.Name ?? "Passkey";
            await users.RemovePasskeyAsync(account, credentialId);
            await db.PasskeyDetails.Where(d => d.CredentialId == credentialId).ExecuteDeleteAsync(ct);
        }
        else if (kind == TotpKind && Guid.TryParse(id, out var totpId)
            && await db.TotpAuthenticators.AsNoTracking().FirstOrDefaultAsync(t => t.Id == totpId && t.AccountId == account.Id, ct) is { } totp)
        {
            name = totp.Name;
            await db.TotpAuthenticators.Where(t => t.Id == totpId).ExecuteDeleteAsync(ct);
        }
        else
        {
            return "That authenticator does not exist.";
        }

        await audit.AppendAsync(new AuditEvent("auth.factor.removed", account.UserName!, account.UserName!,
            new Dictionary<string, string> { ["factor"] = kind, ["name"] = name }), ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    private async Task<bool> IsAttestedAsync(string id, CancellationToken ct) =>
        TryCredentialId(id, out var credentialId) && await db.PasskeyDetails.AnyAsync(d => d.CredentialId == credentialId && d.AttestationTrusted, ct);

    private static bool TryCredentialId(string id, out byte[] credentialId)
    {
        try
        {
            credentialId = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(id ?? "");
            return credentialId.Length > 0;
        }
        catch (FormatException)
        {
            credentialId = [];
            return false;
        }
    }
}
