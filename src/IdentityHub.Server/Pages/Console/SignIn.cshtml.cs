using System.ComponentModel.DataAnnotations;
using IdentityHub.Authentication.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console;

internal sealed class SignInModel(StaffSignIn signIn) : PageModel
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

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!await signIn.PasswordSignInAsync(UserName!, Password!, cancellationToken))
        {
            ModelState.AddModelError(nameof(UserName), WrongCredentials);
            return Page();
        }

        // Only back into the console: anything else could make the sign-in page an open redirect.
        var target = ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) && ReturnUrl.StartsWith("/console", StringComparison.Ordinal) ? ReturnUrl : "/console";
        return LocalRedirect(target);
    }
}
