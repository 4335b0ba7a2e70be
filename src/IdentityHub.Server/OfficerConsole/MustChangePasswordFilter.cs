using IdentityHub.Authentication.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IdentityHub.Server.OfficerConsole;

/// <summary>While an account holds a one-time password, every console page but these sends it to change-password.</summary>
internal sealed class MustChangePasswordFilter : IAsyncPageFilter
{
    private static readonly string[] Allowed = ["/Console/ChangePassword", "/Console/SignOut", "/Console/SignIn", "/Console/AccessDenied"];

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.HttpContext.User.MustChangePasswordNow() && !Allowed.Contains(context.ActionDescriptor.ViewEnginePath, StringComparer.Ordinal))
        {
            context.Result = new RedirectToPageResult("/Console/ChangePassword");
            return;
        }

        await next();
    }
}
