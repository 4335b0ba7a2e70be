using IdentityHub.Authentication.Assurance;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Authentication.Login;

/// <summary>What an account has registered, as the level-of-assurance methods it could use.</summary>
public sealed record AccountMethodSet(bool Password, int TotpApps, int Passkeys, int VerifiedPasskeys, int AttestedPasskeys, int RecoveryCodesLeft, bool IsAdmin)
{
    /// <summary>Any second factor at all (recovery codes alone do not count: they stand in for a lost factor).</summary>
    public bool HasSecondFactor => TotpApps > 0 || Passkeys > 0;

    /// <summary>
    /// The methods a login may use. Admins must use a passkey: once they have one, TOTP and recovery codes are not
    /// offered to them.
    /// </summary>
    public IReadOnlySet<string> Usable()
    {
        var methods = new HashSet<string>(StringComparer.Ordinal);
        if (Password)
        {
            methods.Add(AuthenticationMethods.Password);
        }

        if (Passkeys > 0)
        {
            methods.Add(AuthenticationMethods.Passkey);
            methods.Add(AuthenticationMethods.PasskeyVerified);
        }

        if (AttestedPasskeys > 0)
        {
            methods.Add(AuthenticationMethods.PasskeyVerifiedAttested);
        }

        if (!IsAdmin || Passkeys == 0)
        {
            if (TotpApps > 0)
            {
                methods.Add(AuthenticationMethods.Totp);
            }

            if (RecoveryCodesLeft > 0)
            {
                methods.Add(AuthenticationMethods.RecoveryCode);
            }
        }

        return methods;
    }
}

public sealed class AccountMethods(HubDbContext db)
{
    /// <summary>A citizen signs in only while their person holds an active eID (not suspended, not revoked); staff always may.</summary>
    public async Task<bool> MaySignInAsync(HubAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Kind != AccountKind.Citizen
            || (account.PersonId is { } person && await db.Eids.AnyAsync(e => e.PersonId == person && e.Status == Data.Registry.EidStatus.Active, ct));
    }

    public async Task<AccountMethodSet> OfAsync(HubAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var totp = await db.TotpAuthenticators.CountAsync(t => t.AccountId == account.Id, ct);
        var passkeys = await db.UserPasskeys.CountAsync(p => p.UserId == account.Id, ct);
        var attested = await db.PasskeyDetails.CountAsync(p => p.AccountId == account.Id && p.AttestationTrusted, ct);
        var verified = await db.PasskeyDetails.CountAsync(p => p.AccountId == account.Id && p.UserVerifiedAtRegistration, ct);
        var recovery = await db.RecoveryCodes.CountAsync(r => r.AccountId == account.Id && r.UsedAt == null, ct);
        var isAdmin = account.Kind == AccountKind.Staff && await (from ur in db.UserRoles
                                                                  join r in db.Roles on ur.RoleId equals r.Id
                                                                  where ur.UserId == account.Id && r.Name == StaffRoles.Admin
                                                                  select ur).AnyAsync(ct);
        return new AccountMethodSet(account.PasswordHash is not null, totp, passkeys, verified, attested, recovery, isAdmin);
    }
}
