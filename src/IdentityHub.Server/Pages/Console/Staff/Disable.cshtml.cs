using IdentityHub.Authentication.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Staff;

/// <summary>
/// Disabling a staff account cannot be undone, so the staff page's link opens this confirmation first: it names the
/// account and what will happen, and only its warning button acts. An admin cannot disable themself or the last enabled admin.
/// </summary>
internal sealed class DisableModel(StaffAccounts staff, StaffAccountChanges changes) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? Member { get; set; }

    public StaffAccountSummary? Account { get; private set; }

    /// <summary>Why this account cannot be disabled by this admin; null when it can.</summary>
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Account = (await staff.ListAsync(ct)).FirstOrDefault(a => a.UserName == Member);
        if (Account is null)
        {
            return RedirectToPage("/Console/Staff/Index");
        }

        Refusal = await changes.WhyNotDisableAsync(Account.UserName, User.Identity!.Name!, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var error = await changes.DisableAsync(Member ?? "", User.Identity!.Name!, ct);
        if (error is not null)
        {
            Account = (await staff.ListAsync(ct)).FirstOrDefault(a => a.UserName == Member);
            if (Account is null)
            {
                return RedirectToPage("/Console/Staff/Index");
            }

            Refusal = error;
            return Page();
        }

        TempData["StaffMessage"] = $"The account {Member} is disabled. It cannot sign in, and its open sessions have ended.";
        return RedirectToPage("/Console/Staff/Index");
    }
}
