using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Login;

/// <summary>A recovery code in place of the second factor; the account page then asks to set up a new one.</summary>
internal sealed class RecoveryCodeModel(LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var pending = await flow.PendingAsync(HttpContext, HttpContext.RequestAborted);
        await SecurityPages.AllowAgencyFormTargetsAsync(HttpContext, pending?.State.ReturnUrl, HttpContext.RequestAborted);
        await next();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await flow.PendingAsync(HttpContext, ct) is { OffersRecoveryCode: true } ? Page() : Redirect("/login");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), t["Recovery.EnterCode"]);
            return Page();
        }

        var outcome = await flow.RecoveryCodeAsync(HttpContext, Code, ct);
        switch (outcome.Status)
        {
            case LoginStatus.Complete:
                TempData["AccountMessage"] = "recovery-code-used";
                return LocalRedirect(SecurityPages.SafeReturnUrl(Url, outcome.ReturnUrl, SessionAudiences.Citizen));
            case LoginStatus.NeedsMore:
                return Redirect("/login/verify");
            default:
                if (outcome.Error == LoginError.NoLoginInProgress)
                {
                    return Redirect("/login");
                }

                ModelState.AddModelError(nameof(Code), SecurityPages.Message(t, outcome));
                return Page();
        }
    }
}
