using IdentityHub.Authentication.Login;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Account;

internal sealed class PasswordModel(PasswordChanges passwords, LoginFlow flow, IStringLocalizer<Texts> t) : PasswordChangePageBase(passwords, flow, t)
{
    protected override IActionResult Changed()
    {
        TempData["AccountMessage"] = "password-changed";
        return RedirectToPage("/Citizen/Account/Index");
    }
}
