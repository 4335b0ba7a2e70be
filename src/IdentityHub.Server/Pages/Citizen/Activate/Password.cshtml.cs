using IdentityHub.Authentication.Activation;
using IdentityHub.Authentication.Login;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Activate;

/// <summary>
/// Second step: the citizen chooses a password (NIST SP 800-63B rules: 12 characters or more, not a common password,
/// no composition rules). The eID is then active and the citizen is signed in to set up a second factor.
/// </summary>
internal sealed class PasswordModel(
    CitizenActivation activation, ActivationCookie cookie, UserManager<HubAccount> users, LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public string NationalId { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync() => await AccountAsync() is null ? Redirect("/activate") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var account = await AccountAsync();
        if (account is null)
        {
            return Redirect("/activate");
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

        var errors = await activation.SetPasswordAsync(account.Id, NewPassword!, ct);
        foreach (var error in errors)
        {
            ModelState.AddModelError(nameof(NewPassword), error);
        }

        if (errors.Count > 0)
        {
            return Page();
        }

        ActivationCookie.Clear(HttpContext);
        // Signed in with the password just chosen: no second factor yet, so the session opens only the set-up pages.
        // The letter's code was accepted in this browser moments ago, so this set-up session binds at high.
        var outcome = await flow.ActivatedAsync(HttpContext, account, NewPassword!, "/account", ct);
        return outcome.Status == LoginStatus.Complete ? Redirect("/account/setup") : Redirect("/login");
    }

    private async Task<HubAccount?> AccountAsync()
    {
        var account = cookie.Read(HttpContext) is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        NationalId = account?.UserName ?? "";
        return account is { Kind: AccountKind.Citizen, PasswordHash: null } ? account : null;
    }
}
