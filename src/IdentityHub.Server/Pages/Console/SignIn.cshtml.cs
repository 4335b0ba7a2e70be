using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console;

/// <summary>Staff sign-in, first step: username and password. A second factor follows (a passkey for admins).</summary>
internal sealed class SignInModel(LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Notice { get; private set; }

    public void OnGet() => Notice = TempData["LoginMessage"] as string;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(UserName))
        {
            ModelState.AddModelError(nameof(UserName), t["Console.SignIn.EnterUserName"]);
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), t["Console.SignIn.EnterPassword"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var outcome = await flow.PasswordAsync(HttpContext, SessionAudiences.Staff, UserName!, Password!,
            Authentication.Assurance.LevelOfAssurance.Substantial, ReturnUrl, cancellationToken);
        switch (outcome.Status)
        {
            case LoginStatus.Complete:
                return LocalRedirect(SecurityPages.SafeReturnUrl(Url, outcome.ReturnUrl, SessionAudiences.Staff));
            case LoginStatus.NeedsMore:
                return Redirect("/console/sign-in/verify");
            default:
                // One message for every password failure: the page must not reveal whether an account exists.
                ModelState.AddModelError(nameof(UserName), outcome.Error == LoginError.WrongCredentials ? t["Console.SignIn.Wrong"] : SecurityPages.Message(t, outcome));
                return Page();
        }
    }
}
