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
    protected override string AfterPath(bool firstFactor) => "/console";
}
