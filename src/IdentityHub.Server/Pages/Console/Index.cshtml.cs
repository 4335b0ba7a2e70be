using System.Security.Claims;
using IdentityHub.Authentication.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console;

internal sealed class IndexModel(IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<string> Roles { get; private set; } = [];

    public bool CanManageStaff { get; private set; }

    public bool CanEnrol { get; private set; }

    public bool CanAudit { get; private set; }

    /// <summary>Set for the one page view after a password change (the console confirms every change of how one signs in).</summary>
    public bool PasswordChanged { get; private set; }

    public async Task OnGetAsync()
    {
        PasswordChanged = TempData["ConsoleMessage"] as string == "password-changed";
        Roles = User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        CanManageStaff = (await authorization.AuthorizeAsync(User, StaffPolicies.Admin)).Succeeded;
        CanEnrol = (await authorization.AuthorizeAsync(User, StaffPolicies.Officer)).Succeeded;
        CanAudit = (await authorization.AuthorizeAsync(User, StaffPolicies.Auditor)).Succeeded;
    }
}
