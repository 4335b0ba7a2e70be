using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console;

/// <summary>
/// A staff recovery code in place of the app or passkey at sign-in's second step (not for admins who have a passkey):
/// single use, counted toward the lock-out like a wrong app code, audited, and the console's home page says it was used.
/// </summary>
internal sealed class RecoveryCodeModel(LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await flow.PendingAsync(HttpContext, ct) is { OffersRecoveryCode: true } ? Page() : Redirect("/console/sign-in");

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
                TempData["ConsoleMessage"] = "recovery-code-used";
                return LocalRedirect(SecurityPages.SafeReturnUrl(Url, outcome.ReturnUrl, SessionAudiences.Staff));
            case LoginStatus.NeedsMore:
                return Redirect("/console/sign-in/verify");
            default:
                if (outcome.Error is LoginError.NoLoginInProgress or LoginError.LevelUnreachable)
                {
                    TempData["LoginMessage"] = SecurityPages.Message(t, outcome);
                    return Redirect("/console/sign-in");
                }

                ModelState.AddModelError(nameof(Code), SecurityPages.Message(t, outcome));
                return Page();
        }
    }
}
