using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console;

/// <summary>Staff set up a second factor before the console opens; admins must register a passkey.</summary>
internal sealed class SetupModel : PageModel
{
    public bool PasskeyOnly => User.IsInRole(StaffRoles.Admin);

}
