using IdentityHub.Authentication.Login;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen;

/// <summary>Sign-out is a POST with the antiforgery token: a link or image elsewhere cannot end a session.</summary>
internal sealed class SignOutModel(LoginFlow flow) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // The agencies told through the browser (SAML Single Logout) come first; then the login page says "signed out".
        var next = await flow.SignOutAsync(HttpContext, User, "/login", null, ct);
        TempData["LoginMessage"] = "signed-out";
        return Redirect(next ?? "/login");
    }
}
