using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Identity;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Login;

/// <summary>
/// The citizen login: national id and password (then a second factor), or a passkey alone (a button, and the
/// browser's autofill through conditional mediation). ?level= (low, substantial, high or the eIDAS URI) is the
/// minimum a relying party asked for; the hub's default level otherwise.
/// </summary>
internal sealed class IndexModel(LoginFlow flow, AssurancePolicy policy, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? NationalId { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Level { get; set; }

    [BindProperty]
    public Guid ChallengeId { get; set; }

    [BindProperty]
    public string? Credential { get; set; }

    public string? Notice { get; private set; }

    public LevelOfAssurance Target => LevelsOfAssurance.TryParse(Level, out var level) ? level : policy.DefaultLevel;

    /// <summary>The login forms (password, passkey) end at the agency of the authorization request when one is waiting.</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        await SecurityPages.AllowAgencyFormTargetsAsync(HttpContext, ReturnUrl, HttpContext.RequestAborted);
        await next();
    }

    public void OnGet()
    {
        // An agency's login_hint (OpenID Connect) names the person it expects: only a national identifier is used.
        if (NationalId is null && Request.Query["login_hint"] is [{ Length: > 0 and <= 20 } hint] && hint.All(char.IsAsciiDigit))
        {
            NationalId = hint;
        }

        Notice = TempData["LoginMessage"] switch
        {
            "signed-out" => t["Login.SignedOut"],
            string message => message,
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!NationalIdentifier(out var id))
        {
            return Page();
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), t["Login.EnterPassword"]);
            return Page();
        }

        var outcome = await flow.PasswordAsync(HttpContext, SessionAudiences.Citizen, id, Password, Target, ReturnUrl, ct);
        return Next(outcome);
    }

    public async Task<IActionResult> OnPostPasskeyOptionsAsync(CancellationToken ct) =>
        SecurityPages.OptionsResult(await flow.BeginPasskeyAsync(HttpContext, passkeyFirst: true, ct));

    public async Task<IActionResult> OnPostPasskeyAsync(CancellationToken ct)
    {
        var outcome = await flow.PasskeyAsync(HttpContext, SessionAudiences.Citizen, passkeyFirst: true, ChallengeId, Credential ?? "", Target, ReturnUrl, ct);
        if (outcome.Status == LoginStatus.Failed)
        {
            ModelState.AddModelError("passkey", SecurityPages.Message(t, outcome));
            return Page();
        }

        return Next(outcome);
    }

    private IActionResult Next(LoginOutcome outcome)
    {
        switch (outcome.Status)
        {
            case LoginStatus.Complete:
                return LocalRedirect(SecurityPages.SafeReturnUrl(Url, outcome.ReturnUrl, SessionAudiences.Citizen));
            case LoginStatus.NeedsMore:
                return Redirect("/login/verify");
            default:
                // One message for every password failure: the page must not reveal whether an account exists.
                ModelState.AddModelError(nameof(NationalId), SecurityPages.Message(t, outcome));
                return Page();
        }
    }

    private bool NationalIdentifier(out string id)
    {
        id = "";
        if (string.IsNullOrWhiteSpace(NationalId))
        {
            ModelState.AddModelError(nameof(NationalId), t["Login.EnterNationalId"]);
            return false;
        }

        if (!IdentityHub.Core.Identity.NationalId.TryParse(NationalId, out var parsed, out _))
        {
            ModelState.AddModelError(nameof(NationalId), t["Login.InvalidNationalId"]);
            return false;
        }

        id = parsed.Value.Value;
        return true;
    }
}
