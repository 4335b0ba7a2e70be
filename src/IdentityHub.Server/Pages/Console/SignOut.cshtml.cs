using IdentityHub.Authentication.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console;

/// <summary>Sign-out is a POST (with the antiforgery token): a link or image elsewhere cannot end a session.</summary>
internal sealed class SignOutModel(StaffSignIn signIn) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await signIn.SignOutAsync(User, cancellationToken);
        return RedirectToPage("/Console/SignIn");
    }
}
