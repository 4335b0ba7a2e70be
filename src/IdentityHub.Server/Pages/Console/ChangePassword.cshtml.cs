using System.ComponentModel.DataAnnotations;
using IdentityHub.Authentication.Login;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console;

internal sealed class ChangePasswordModel(PasswordChanges passwords, LoginFlow flow) : PageModel
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

        var errors = await passwords.ChangeAsync(User, CurrentPassword!, NewPassword!, cancellationToken);
        foreach (var error in errors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        if (errors.Count > 0)
        {
            return Page();
        }

        // The cookie loses its must-change mark; the set-up gate then asks for a second factor if none is registered.
        await flow.RefreshAsync(HttpContext, User, cancellationToken);
        return RedirectToPage("/Console/Index");
    }
}
