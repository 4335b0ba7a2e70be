using IdentityHub.Authentication.Recovery;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen.Account;

/// <summary>Ten single-use recovery codes, shown once when created; creating new ones voids the old.</summary>
internal sealed class RecoveryCodesModel(UserManager<HubAccount> users, RecoveryCodes recoveryCodes) : PageModel
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

        Codes = await recoveryCodes.ReplaceAsync(account, account.UserName!, ct);
        // Shown once: never cached by the browser or a proxy.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
