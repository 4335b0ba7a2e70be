using IdentityHub.Authentication.Login;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console;

internal sealed class ChangePasswordModel(PasswordChanges passwords, LoginFlow flow, IStringLocalizer<Texts> t) : PasswordChangePageBase(passwords, flow, t)
{
    protected override IActionResult Changed()
    {
        TempData["ConsoleMessage"] = "password-changed";
        return RedirectToPage("/Console/Index");
    }
}
