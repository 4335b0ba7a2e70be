using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Totp;
using IdentityHub.Data.Accounts;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Account;

internal sealed class TotpModel(TotpAuthenticators totp, UserManager<HubAccount> users, LoginFlow flow, TimeProvider time, IStringLocalizer<Texts> t)
    : TotpSetupPageBase(totp, users, flow, time, t)
{
    protected override string AfterPath(bool firstFactor) => firstFactor ? "/account/recovery-codes" : "/account";
}
