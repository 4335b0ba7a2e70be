using System.ComponentModel.DataAnnotations;
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
    /// <summary>One message for every failure: the page must not reveal whether an account exists.</summary>
    public const string WrongCredentials = "The username or password is wrong.";

    [BindProperty]
    [Required(ErrorMessage = "Enter your username")]
    public string? UserName { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter your password")]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Notice { get; private set; }

    public void OnGet() => Notice = TempData["LoginMessage"] as string;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
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
                ModelState.AddModelError(nameof(UserName), outcome.Error == LoginError.WrongCredentials ? WrongCredentials : SecurityPages.Message(t, outcome));
                return Page();
        }
    }
}
