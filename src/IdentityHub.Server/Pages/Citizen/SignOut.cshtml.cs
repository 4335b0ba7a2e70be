using IdentityHub.Authentication.Login;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen;

/// <summary>Sign-out is a POST with the antiforgery token: a link or image elsewhere cannot end a session.</summary>
internal sealed class SignOutModel(LoginFlow flow) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await flow.SignOutAsync(HttpContext, User, ct);
        TempData["LoginMessage"] = "signed-out";
        return Redirect("/login");
    }
}
