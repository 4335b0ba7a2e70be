using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IdentityHub.Server.OfficerConsole;

/// <summary>
/// While an account owes something, only the pages that settle it open: a one-time password must be changed first
/// (console), then a session without a second factor (or an admin's without a passkey) sees only the set-up pages.
/// </summary>
internal sealed class SetupGateFilter : IAsyncPageFilter
{
    private static readonly string[] Always = ["/Console/SignOut", "/Console/SignIn", "/Console/Verify", "/Console/RecoveryCode", "/Console/AccessDenied", "/Citizen/SignOut"];
    private static readonly string[] ConsoleSetup = ["/Console/ChangePassword", "/Console/Setup", "/Console/Security/Totp", "/Console/Security/Passkey"];
    private static readonly string[] CitizenSetup = ["/Citizen/Account/Setup", "/Citizen/Account/Totp", "/Citizen/Account/Passkey"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var page = context.ActionDescriptor.ViewEnginePath;
        var user = context.HttpContext.User;
        if (Always.Contains(page, StringComparer.Ordinal) || user.Identity?.IsAuthenticated != true)
        {
            await next();
            return;
        }

        if (page.StartsWith("/Console/", StringComparison.Ordinal))
        {
            if (user.MustChangePasswordNow() && page != "/Console/ChangePassword")
            {
                context.Result = new RedirectToPageResult("/Console/ChangePassword");
                return;
            }

            var setup = user.SetupRequiredOf();
            var adminTotp = page == "/Console/Security/Totp" && user.IsInRole(StaffRoles.Admin);
            if ((setup is not null && !ConsoleSetup.Contains(page, StringComparer.Ordinal)) || adminTotp)
            {
                context.Result = new RedirectToPageResult(adminTotp ? "/Console/Security/Passkey" : "/Console/Setup");
                return;
            }
        }
        else if (page.StartsWith("/Citizen/Account/", StringComparison.Ordinal))
        {
            if (user.SetupRequiredOf() is not null)
            {
                if (!CitizenSetup.Contains(page, StringComparer.Ordinal))
                {
                    context.Result = new RedirectResult("/account/setup");
                    return;
                }
            }
            else if (user.LevelOf() < LevelOfAssurance.Substantial && page != "/Citizen/Account/StepUp")
            {
                // A session from a low login (password only) may not change authenticators, codes or sessions: a stolen
                // password alone must not let anyone add their own second factor.
                var here = context.HttpContext.Request.Path + context.HttpContext.Request.QueryString;
                context.Result = new RedirectResult("/account/step-up?level=substantial&returnUrl=" + Uri.EscapeDataString(here));
                return;
            }
        }

        await next();
    }
}
