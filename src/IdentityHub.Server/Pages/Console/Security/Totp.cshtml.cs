using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Totp;
using IdentityHub.Data.Accounts;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console.Security;

/// <summary>An authenticator app for a staff account (not offered to admins: they must use a passkey).</summary>
internal sealed class TotpModel(TotpAuthenticators totp, UserManager<HubAccount> users, LoginFlow flow, TimeProvider time, IStringLocalizer<Texts> t)
    : TotpSetupPageBase(totp, users, flow, time, t)
{
    /// <summary>After the first second factor, recovery codes are offered (not to admins: they must use a passkey).</summary>
    protected override string AfterPath(bool firstFactor) =>
        firstFactor && !User.IsInRole(Data.Accounts.StaffRoles.Admin) ? "/console/security/recovery-codes" : "/console";
}
