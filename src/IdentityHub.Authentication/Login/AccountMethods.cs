using IdentityHub.Authentication.Assurance;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Authentication.Login;

/// <summary>What an account has registered, as the level-of-assurance methods it could use.</summary>
/// <param name="MaySignIn">A citizen's person holds an active eID (not suspended, not revoked); always true for staff.</param>
public sealed record AccountMethodSet(bool Password, int TotpApps, int Passkeys, int VerifiedPasskeys, int AttestedPasskeys, int RecoveryCodesLeft, bool IsAdmin, bool MaySignIn = true)
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
    /// <summary>
    /// One round trip: the counts of the account's authenticators and whether it is an admin. A passkey counts as
    /// attested (for high) only when it was bound in a session at high, or before that rule (BoundAtLevel null).
    /// </summary>
    public async Task<AccountMethodSet> OfAsync(HubAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var id = account.Id;
        var person = account.PersonId ?? Guid.Empty;
        var row = (await db.Database.SqlQuery<MethodCounts>($"""
            SELECT
              (SELECT count(*)::int FROM accounts.totp_authenticators WHERE "AccountId" = {id}) AS "TotpApps",
              (SELECT count(*)::int FROM accounts.user_passkeys WHERE "UserId" = {id}) AS "Passkeys",
              (SELECT count(*)::int FROM accounts.passkey_details WHERE "AccountId" = {id} AND "UserVerifiedAtRegistration") AS "VerifiedPasskeys",
              (SELECT count(*)::int FROM accounts.passkey_details WHERE "AccountId" = {id} AND "AttestationTrusted"
                 AND ("BoundAtLevel" IS NULL OR "BoundAtLevel" = {LevelsOfAssurance.HighUri})) AS "AttestedPasskeys",
              (SELECT count(*)::int FROM accounts.recovery_codes WHERE "AccountId" = {id} AND "UsedAt" IS NULL) AS "RecoveryCodesLeft",
              EXISTS (SELECT 1 FROM accounts.user_roles ur JOIN accounts.roles r ON r."Id" = ur."RoleId"
                      WHERE ur."UserId" = {id} AND r."Name" = {StaffRoles.Admin}) AS "IsAdmin",
              EXISTS (SELECT 1 FROM registry.eids e WHERE e."PersonId" = {person} AND e."Status" = {(int)Data.Registry.EidStatus.Active}) AS "ActiveEid"
            """).ToListAsync(ct)).Single();
        return new AccountMethodSet(account.PasswordHash is not null, row.TotpApps, row.Passkeys, row.VerifiedPasskeys, row.AttestedPasskeys, row.RecoveryCodesLeft,
            account.Kind == AccountKind.Staff && row.IsAdmin, account.Kind != AccountKind.Citizen || row.ActiveEid);
    }

    private sealed class MethodCounts
    {
        public int TotpApps { get; set; }

        public int Passkeys { get; set; }

        public int VerifiedPasskeys { get; set; }

        public int AttestedPasskeys { get; set; }

        public int RecoveryCodesLeft { get; set; }

        public bool IsAdmin { get; set; }

        public bool ActiveEid { get; set; }
    }
}
