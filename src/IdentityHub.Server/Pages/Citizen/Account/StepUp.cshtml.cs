using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Account;

/// <summary>
/// Step-up: /account/step-up?level=high&amp;returnUrl=… lifts the signed-in session to the level asked for, asking only
/// for what the session lacks (the verify page), or explains why this account cannot reach it.
/// </summary>
internal sealed class StepUpModel(LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Level { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!LevelsOfAssurance.TryParse(Level, out var target))
        {
            Problem = t["StepUp.UnknownLevel"];
            return Page();
        }

        var outcome = await flow.StartStepUpAsync(HttpContext, User, target, ReturnUrl ?? "/account", ct);
        switch (outcome.Status)
        {
            case LoginStatus.Complete:
                return LocalRedirect(SecurityPages.SafeReturnUrl(Url, outcome.ReturnUrl, SessionAudiences.Citizen));
            case LoginStatus.NeedsMore:
                return Redirect("/login/verify");
            default:
                Problem = outcome.Error == LoginError.LevelUnreachable ? t["StepUp.Unreachable", t["Level." + target]] : SecurityPages.Message(t, outcome);
                return Page();
        }
    }
}
