using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Notices;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Authentication.Login;

/// <summary>One registered authenticator as the account pages list it.</summary>
/// <param name="AcceptedForHigh">A passkey whose attestation the hub trusts and which was bound in a session at high.</param>
public sealed record AuthenticatorView(
    string Kind, string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    string? Attestation = null, bool AcceptedForHigh = false, bool BackupEligible = false, bool BackedUp = false, int SignCountRegressions = 0);

/// <summary>What a rename or a removal came to; the page words it.</summary>
public enum AuthenticatorChange
{
    Done,
    NotFound,

    /// <summary>A name must have 1 to 100 characters.</summary>
    InvalidName,

    /// <summary>The account would be left without a way to reach the default level with its password.</summary>
    LastFactor,

    /// <summary>An admin must keep a passkey.</summary>
    AdminKeepsPasskey,

    /// <summary>The session is below the level the authenticator gives: step up to <see cref="AuthenticatorChangeResult.Level"/> first.</summary>
    NeedsLevel,
}

public sealed record AuthenticatorChangeResult(AuthenticatorChange Change, LevelOfAssurance Level = LevelOfAssurance.None)
{
    public static readonly AuthenticatorChangeResult Done = new(AuthenticatorChange.Done);

    public bool Succeeded => Change == AuthenticatorChange.Done;
}

/// <summary>
/// The authenticators of an account: listed, renamed and removed. Removal needs a session at the level the
/// authenticator gives (NIST SP 800-63B §6.1.2.1), and is refused when the account would be left without a way to reach
/// the hub's default level of assurance (or, for an admin, without a passkey), so nobody locks themselves out by
/// mistake. Every change is audited, with a notice for the account holder in the same transaction.
/// </summary>
public sealed class Authenticators(
    HubDbContext db, UserManager<HubAccount> users, AccountMethods methods, AssurancePolicy policy, AuditLog audit, TimeProvider time)
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
                p.CreatedAt, d?.LastUsedAt, d?.AttestationFormat, d is not null && GivesHigh(d), p.IsBackupEligible, p.IsBackedUp, d?.SignCountRegressions ?? 0);
        }).ToList();
        var totp = await db.TotpAuthenticators.AsNoTracking().Where(t => t.AccountId == account.Id).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        list.AddRange(totp.Select(t => new AuthenticatorView(TotpKind, t.Id.ToString(), t.Name, t.CreatedAt, t.LastUsedAt)));
        return list.OrderBy(a => a.CreatedAt).ToList();
    }

    /// <summary>A rename changes nothing about how one signs in, so any session that opens the account pages may do it.</summary>
    public async Task<AuthenticatorChangeResult> RenameAsync(HubAccount account, string kind, string id, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var newName = (name ?? "").Trim();
        if (newName.Length is 0 or > 100)
        {
            return new AuthenticatorChangeResult(AuthenticatorChange.InvalidName);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (kind == PasskeyKind && TryCredentialId(id, out var credentialId) && await users.GetPasskeyAsync(account, credentialId) is { } passkey)
        {
            passkey.Name = newName;
            await users.AddOrUpdatePasskeyAsync(account, passkey);
        }
        else if (!(kind == TotpKind && Guid.TryParse(id, out var totpId)
            && await db.TotpAuthenticators.Where(t => t.Id == totpId && t.AccountId == account.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.Name, newName), ct) == 1))
        {
            return new AuthenticatorChangeResult(AuthenticatorChange.NotFound);
        }

        await RecordAsync(account, "auth.factor.renamed", NoticeKinds.FactorRenamed, kind, newName, ct);
        await transaction.CommitAsync(ct);
        return AuthenticatorChangeResult.Done;
    }

    /// <param name="sessionLevel">The level of the session asking: at least the level the authenticator gives.</param>
    public async Task<AuthenticatorChangeResult> RemoveAsync(HubAccount account, string kind, string id, LevelOfAssurance sessionLevel, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var details = kind == PasskeyKind && TryCredentialId(id, out var passkeyId)
            ? await db.PasskeyDetails.AsNoTracking().FirstOrDefaultAsync(d => d.CredentialId == passkeyId && d.AccountId == account.Id, ct)
            : null;
        // NIST SP 800-63B §6.1.2.1: removing an authenticator needs a session at the level it gives, so a session
        // that a weaker factor opened cannot take away a stronger one.
        var gives = kind switch
        {
            PasskeyKind => policy.LevelGivenBy(details is not null && GivesHigh(details) ? AuthenticationMethods.PasskeyVerifiedAttested : AuthenticationMethods.PasskeyVerified),
            _ => policy.LevelGivenBy(AuthenticationMethods.Totp),
        };
        if (sessionLevel < gives)
        {
            return new AuthenticatorChangeResult(AuthenticatorChange.NeedsLevel, gives);
        }

        var before = await methods.OfAsync(account, ct);
        var after = kind switch
        {
            PasskeyKind => before with { Passkeys = before.Passkeys - 1, AttestedPasskeys = Math.Max(0, before.AttestedPasskeys - (details is not null && GivesHigh(details) ? 1 : 0)) },
            TotpKind => before with { TotpApps = before.TotpApps - 1 },
            _ => before,
        };
        // What remains must still reach the default level with the password (recovery codes stand in for a lost
        // factor and do not count), and an admin keeps a passkey.
        var remaining = after.Usable().Where(m => m != AuthenticationMethods.RecoveryCode).ToHashSet(StringComparer.Ordinal);
        var password = new AuthenticationRecord(AuthenticationMethods.Password, DateTimeOffset.MinValue);
        if (before.IsAdmin && after.Passkeys == 0)
        {
            return new AuthenticatorChangeResult(AuthenticatorChange.AdminKeepsPasskey);
        }

        if (!after.HasSecondFactor || policy.Missing([password], policy.DefaultLevel, remaining) is null)
        {
            return new AuthenticatorChangeResult(AuthenticatorChange.LastFactor);
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
            return new AuthenticatorChangeResult(AuthenticatorChange.NotFound);
        }

        await RecordAsync(account, "auth.factor.removed", NoticeKinds.FactorRemoved, kind, name, ct);
        await transaction.CommitAsync(ct);
        return AuthenticatorChangeResult.Done;
    }

    /// <summary>The notice and the audit event of a change, saved in the caller's transaction.</summary>
    private async Task RecordAsync(HubAccount account, string eventType, string noticeKind, string kind, string name, CancellationToken ct)
    {
        AccountNotices.Add(db, account.Id, noticeKind, time.GetUtcNow(), new Dictionary<string, string> { ["factor"] = kind, ["name"] = name });
        await audit.AppendAsync(new AuditEvent(eventType, account.UserName!, account.UserName!,
            new Dictionary<string, string> { ["factor"] = kind, ["name"] = name }), ct);
    }

    /// <summary>An attested passkey gives high only when bound in a session at high (or before that rule: null).</summary>
    private static bool GivesHigh(PasskeyDetailsRecord details) =>
        details.AttestationTrusted && (details.BoundAtLevel is null || details.BoundAtLevel == LevelsOfAssurance.HighUri);

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
