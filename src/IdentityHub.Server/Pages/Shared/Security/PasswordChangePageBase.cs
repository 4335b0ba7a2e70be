using IdentityHub.Authentication.Login;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Shared.Security;

/// <summary>
/// Changing one's password with the current one (<see cref="PasswordChanges"/>: lock-out, Argon2id gate, other sessions
/// ended, notice and audit). Officers and citizens see the same form; each side says where the person goes next.
/// </summary>
internal abstract class PasswordChangePageBase(PasswordChanges passwords, LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    /// <summary>Where the person lands after a change; the confirmation travels in TempData.</summary>
    protected abstract IActionResult Changed();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Require(nameof(CurrentPassword), CurrentPassword, "Console.ChangePassword.EnterCurrent");
        Require(nameof(NewPassword), NewPassword, "Console.ChangePassword.EnterNew");
        Require(nameof(ConfirmPassword), ConfirmPassword, "Console.ChangePassword.EnterConfirm");
        if (ModelState.IsValid && !string.Equals(NewPassword, ConfirmPassword, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(ConfirmPassword), t["Console.ChangePassword.Differ"]);
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

        // The cookie loses its must-change mark (staff); the set-up gate then asks for a second factor if none is registered.
        await flow.RefreshAsync(HttpContext, User, cancellationToken);
        return Changed();
    }

    private void Require(string field, string? value, string text)
    {
        if (string.IsNullOrEmpty(value))
        {
            ModelState.AddModelError(field, t[text]);
        }
    }
}
