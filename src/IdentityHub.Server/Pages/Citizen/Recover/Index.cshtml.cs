using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Recovery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Recover;

/// <summary>
/// Account recovery with a recovery letter: national id, the letter's code and a new password in one form. A right code
/// resets the password and removes every second factor (<see cref="AccountRecovery"/>); the citizen is then signed in
/// with the new password in a set-up session and sent to add a second factor, as after activation.
/// </summary>
internal sealed class IndexModel(AccountRecovery recovery, LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? NationalId { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(NationalId))
        {
            ModelState.AddModelError(nameof(NationalId), t["Login.EnterNationalId"]);
        }
        else if (!Core.Identity.NationalId.TryParse(NationalId, out _, out _))
        {
            ModelState.AddModelError(nameof(NationalId), t["Login.InvalidNationalId"]);
        }

        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), t["Recover.EnterCode"]);
        }

        if (string.IsNullOrEmpty(NewPassword))
        {
            ModelState.AddModelError(nameof(NewPassword), t["Activate.EnterPassword"]);
        }
        else if (!string.Equals(NewPassword, ConfirmPassword, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(ConfirmPassword), t["Activate.PasswordsDiffer"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await recovery.RecoverAsync(NationalId, Code, NewPassword!, ct);
        if (result.Error == RecoveryError.PasswordRejected)
        {
            foreach (var problem in result.PasswordErrors!)
            {
                ModelState.AddModelError(nameof(NewPassword), problem);
            }

            return Page();
        }

        if (!result.Succeeded)
        {
            // One answer for every refusal: it must not tell whether the national ID has an account or a letter.
            ModelState.AddModelError(nameof(Code), t["Recover.Error." + result.Error]);
            return Page();
        }

        // Signed in with the new password: no second factor any more, so the session opens only the set-up pages, and
        // the letter's code accepted in this request lets it bind one (as activation's set-up session does).
        var outcome = await flow.RecoveredAsync(HttpContext, result.Account!, NewPassword!, "/account", ct);
        return outcome.Status == LoginStatus.Complete ? Redirect("/account/setup") : Redirect("/login");
    }
}
