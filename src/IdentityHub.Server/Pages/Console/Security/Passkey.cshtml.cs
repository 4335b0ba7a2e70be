using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Data.Accounts;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console.Security;

internal sealed class PasskeyModel(PasskeyCeremonies ceremonies, UserManager<HubAccount> users, LoginFlow flow, IStringLocalizer<Texts> t)
    : PasskeySetupPageBase(ceremonies, users, flow, t)
{
    /// <summary>After the first second factor, recovery codes are offered (not to admins: they must use a passkey).</summary>
    protected override string AfterPath(bool firstFactor) =>
        firstFactor && !User.IsInRole(Data.Accounts.StaffRoles.Admin) ? "/console/security/recovery-codes" : "/console";
}
