using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Recovery;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Security;

/// <summary>
/// A staff member's ten single-use recovery codes (the citizens' <see cref="RecoveryCodes"/>: stored as hashes,
/// shown once when created; new ones void the old). A code with the password reaches the level an app does, so only a
/// session that may bind such a factor creates them (NIST SP 800-63B §6.1.2.1). Admins must use a passkey and get none.
/// </summary>
internal sealed class RecoveryCodesModel(UserManager<HubAccount> users, RecoveryCodes recoveryCodes, LoginFlow flow) : PageModel
{
    public IReadOnlyList<string>? Codes { get; private set; }

    public int Left { get; private set; }

    public bool IsAdmin => User.IsInRole(StaffRoles.Admin);

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
        if (account is null || IsAdmin || await flow.BindingLevelForAsync(User, AuthenticationMethods.RecoveryCode, ct) == LevelOfAssurance.None)
        {
            return Forbid();
        }

        Codes = await recoveryCodes.ReplaceAsync(account, account.UserName!, ct);
        // Shown once: never cached by the browser or a proxy.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
