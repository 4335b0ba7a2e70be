using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Recovery;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen.Account;

/// <summary>
/// Ten single-use recovery codes, shown once when created; creating new ones voids the old. A code with the password
/// reaches the level an app does, so only a session that may bind such a factor creates them (NIST SP 800-63B
/// §6.1.2.1); the /account guard already asks for that level, and this check keeps it true if the guard changes.
/// </summary>
internal sealed class RecoveryCodesModel(UserManager<HubAccount> users, RecoveryCodes recoveryCodes, LoginFlow flow, AssurancePolicy policy) : PageModel
{
    public IReadOnlyList<string>? Codes { get; private set; }

    public int Left { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        Left = await recoveryCodes.RemainingAsync(account.Id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        if (await flow.BindingLevelForAsync(User, AuthenticationMethods.RecoveryCode, ct) == LevelOfAssurance.None)
        {
            var level = policy.LevelGivenBy(AuthenticationMethods.RecoveryCode).ToString().ToLowerInvariant();
            return Redirect($"/account/step-up?level={level}&returnUrl=%2Faccount%2Frecovery-codes");
        }

        Codes = await recoveryCodes.ReplaceAsync(account, account.UserName!, ct);
        // Shown once: never cached by the browser or a proxy.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
