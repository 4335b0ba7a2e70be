using IdentityHub.Authentication.Login;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console;

/// <summary>Sign-out is a POST (with the antiforgery token): a link or image elsewhere cannot end a session.</summary>
internal sealed class SignOutModel(LoginFlow flow) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await flow.SignOutAsync(HttpContext, User, cancellationToken);
        return RedirectToPage("/Console/SignIn");
    }
}
