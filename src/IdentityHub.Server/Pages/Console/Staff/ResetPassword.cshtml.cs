using IdentityHub.Authentication.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Staff;

/// <summary>
/// A new one-time password for a staff member who forgot theirs, or who must set up a second factor again: confirmed
/// first (their sessions end and their password stops working), then shown once in the POST's response.
/// </summary>
internal sealed class ResetPasswordModel(StaffAccounts staff, StaffAccountChanges changes) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? Member { get; set; }

    public StaffAccountSummary? Account { get; private set; }

    public StaffAccountCreation? Result { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Account = (await staff.ListAsync(ct)).FirstOrDefault(a => a.UserName == Member && !a.Disabled);
        return Account is null ? RedirectToPage("/Console/Staff/Index") : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Account = (await staff.ListAsync(ct)).FirstOrDefault(a => a.UserName == Member);
        if (Account is null)
        {
            return RedirectToPage("/Console/Staff/Index");
        }

        Result = await changes.ResetPasswordAsync(Account.UserName, User.Identity!.Name!, ct);
        // The page may hold a password: keep it out of every cache and the back-forward history.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
