using IdentityHub.Authentication.Login;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Shared.Security;

/// <summary>
/// The second step of a login or a step-up: a code from the authenticator app, a passkey, or a recovery code —
/// whichever the level asked for can use. Citizen and console pages derive from this with their own route and layout.
/// </summary>
internal abstract class VerifyPageBase(LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    protected abstract string Audience { get; }

    public PendingLogin? Pending { get; private set; }

    public bool IsStepUp => Pending?.State.SessionId is not null;

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public Guid ChallengeId { get; set; }

    [BindProperty]
    public string? Credential { get; set; }

    public string LoginPath => SecurityPages.LoginOf(Audience);

    public string RecoveryCodePath => SecurityPages.RecoveryCodeOf(Audience);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var pending = await flow.PendingAsync(HttpContext, HttpContext.RequestAborted);
        await SecurityPages.AllowAgencyFormTargetsAsync(HttpContext, pending?.State.ReturnUrl, HttpContext.RequestAborted);
        await next();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Pending = await flow.PendingAsync(HttpContext, ct);
        return Pending is null ? Redirect(LoginPath) : Page();
    }

    public async Task<IActionResult> OnPostTotpAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), t["Verify.EnterCode"]);
            return await RedisplayAsync(ct);
        }

        return await ResultAsync(await flow.TotpAsync(HttpContext, Code, ct), nameof(Code), ct);
    }

    public async Task<IActionResult> OnPostPasskeyOptionsAsync(CancellationToken ct) =>
        SecurityPages.OptionsResult(await flow.BeginPasskeyAsync(HttpContext, passkeyFirst: false, ct));

    public async Task<IActionResult> OnPostPasskeyAsync(CancellationToken ct)
    {
        var outcome = await flow.PasskeyAsync(HttpContext, Audience, passkeyFirst: false, ChallengeId, Credential ?? "", Authentication.Assurance.LevelOfAssurance.None, null, ct);
        return await ResultAsync(outcome, "passkey", ct);
    }

    protected async Task<IActionResult> ResultAsync(LoginOutcome outcome, string field, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        switch (outcome.Status)
        {
            case LoginStatus.Complete:
                return LocalRedirect(SecurityPages.SafeReturnUrl(Url, outcome.ReturnUrl, Audience));
            case LoginStatus.NeedsMore:
                return RedirectToPage();
            default:
                if (outcome.Error is LoginError.NoLoginInProgress or LoginError.LevelUnreachable)
                {
                    TempData["LoginMessage"] = SecurityPages.Message(t, outcome);
                    return Redirect(LoginPath);
                }

                ModelState.AddModelError(field, SecurityPages.Message(t, outcome));
                return await RedisplayAsync(ct);
        }
    }

    private async Task<IActionResult> RedisplayAsync(CancellationToken ct)
    {
        Pending = await flow.PendingAsync(HttpContext, ct);
        return Pending is null ? Redirect(LoginPath) : Page();
    }
}
