using System.ComponentModel.DataAnnotations;
using IdentityHub.Authentication.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console;

internal sealed class ChangePasswordModel(StaffSignIn signIn) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter your current password")]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter a new password")]
    public string? NewPassword { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter the new password again")]
    public string? ConfirmPassword { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid && !string.Equals(NewPassword, ConfirmPassword, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(ConfirmPassword), "The two new passwords are not the same");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var errors = await signIn.ChangePasswordAsync(User, CurrentPassword!, NewPassword!, cancellationToken);
        foreach (var error in errors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        return errors.Count == 0 ? RedirectToPage("/Console/Index") : Page();
    }
}
