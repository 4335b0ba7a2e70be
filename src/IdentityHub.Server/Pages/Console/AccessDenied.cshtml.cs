using IdentityHub.Authentication.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console;

/// <summary>
/// Where the cookie handler sends a signed-in account that lacks the role: a clear page with status 403. A session that
/// still owes a password change or a second factor is sent to that page instead.
/// </summary>
internal sealed class AccessDeniedModel : PageModel
{
    public IActionResult OnGet()
    {
        if (User.MustChangePasswordNow())
        {
            return RedirectToPage("/Console/ChangePassword");
        }

        if (User.SetupRequiredOf() is not null)
        {
            return RedirectToPage("/Console/Setup");
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
