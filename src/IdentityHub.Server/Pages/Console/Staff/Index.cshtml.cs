using System.ComponentModel.DataAnnotations;
using IdentityHub.Authentication.Staff;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Staff;

/// <summary>Admins list and create staff accounts. The one-time password is rendered once in the POST's response.</summary>
internal sealed class IndexModel(StaffAccounts staff) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter a username")]
    public string? UserName { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter the person's full name")]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string Role { get; set; } = StaffRoles.Officer;

    public StaffAccountCreation? Created { get; private set; }

    public IReadOnlyList<StaffAccountSummary> Accounts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Accounts = await staff.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var result = await staff.CreateAsync(UserName!, DisplayName, Role, User.Identity!.Name!, cancellationToken);
            if (result.Succeeded)
            {
                Created = result;
                UserName = DisplayName = null;
                ModelState.Clear();
                // The page holds a password: keep it out of every cache and the back-forward history.
                Response.Headers.CacheControl = "no-store";
            }
            else
            {
                ModelState.AddModelError(nameof(UserName), result.Error!);
            }
        }

        Accounts = await staff.ListAsync(cancellationToken);
        return Page();
    }
}
