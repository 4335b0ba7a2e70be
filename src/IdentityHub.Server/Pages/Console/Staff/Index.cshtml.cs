using System.ComponentModel.DataAnnotations;
using IdentityHub.Authentication.Staff;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Staff;

/// <summary>
/// Admins list and create staff accounts, assign and unassign service points, and open the confirmation pages that
/// disable an account or give it a new one-time password. A one-time password is rendered once in the POST's response.
/// </summary>
internal sealed class IndexModel(StaffAccounts staff, StaffServicePoints servicePoints) : PageModel
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

    /// <summary>The open service points, for the "Service point" lists.</summary>
    public IReadOnlyList<(string Code, string Name)> OpenServicePoints { get; private set; } = [];

    /// <summary>What the last change did (one page view, after a redirect).</summary>
    public string? Message { get; private set; }

    /// <summary>Why the last change was refused (one page view, after a redirect).</summary>
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Message = TempData["StaffMessage"] as string;
        Problem = TempData["StaffProblem"] as string;
        await LoadAsync(cancellationToken);
    }

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

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAssignAsync(string? member, string? servicePoint, CancellationToken cancellationToken)
    {
        var error = await servicePoints.AssignAsync(member ?? "", servicePoint ?? "", User.Identity!.Name!, cancellationToken);
        return Done(error, $"{member} is assigned to service point {servicePoint?.Trim().ToUpperInvariant()}. It counts from their next sign-in.");
    }

    public async Task<IActionResult> OnPostUnassignAsync(string? member, string? servicePoint, CancellationToken cancellationToken)
    {
        var error = await servicePoints.UnassignAsync(member ?? "", servicePoint ?? "", User.Identity!.Name!, cancellationToken);
        return Done(error, $"{member} is no longer assigned to service point {servicePoint?.Trim().ToUpperInvariant()}. Their sessions there have ended.");
    }

    private RedirectToPageResult Done(string? error, string message)
    {
        TempData[error is null ? "StaffMessage" : "StaffProblem"] = error ?? message;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Accounts = await staff.ListAsync(cancellationToken);
        OpenServicePoints = await servicePoints.OpenAsync(cancellationToken);
    }
}
