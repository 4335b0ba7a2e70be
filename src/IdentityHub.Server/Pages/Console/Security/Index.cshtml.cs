using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Notices;
using IdentityHub.Authentication.Recovery;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console.Security;

/// <summary>
/// The signed-in staff member's ways to sign in: the password (when last changed), authenticator apps and passkeys
/// (rename, remove — removal needs a session at the level the authenticator gives, and an admin keeps a passkey) and
/// how many recovery codes are left. Every change is confirmed on the console's home page.
/// </summary>
internal sealed class IndexModel(
    UserManager<HubAccount> users, Authenticators authenticators, RecoveryCodes recoveryCodes, HubDbContext db, IStringLocalizer<Texts> t) : PageModel
{
    public IReadOnlyList<AuthenticatorView> Authenticators { get; private set; } = [];

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>When the password was last changed (or set, for an account that never changed it).</summary>
    public DateTimeOffset PasswordChangedAt { get; private set; }

    public bool PasswordEverChanged { get; private set; }

    public bool IsAdmin => User.IsInRole(StaffRoles.Admin);

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Id { get; set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        var result = await authenticators.RemoveAsync(account, Kind ?? "", Id ?? "", User.LevelOf(), ct);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("authenticators", result.Change == AuthenticatorChange.NeedsLevel
                ? $"Removing it needs a session at level {result.Level.ToString().ToLowerInvariant()}: sign out, sign in with a passkey accepted for that level, and remove it then."
                : t["Account.Change." + result.Change]);
            return await LoadAsync(ct);
        }

        TempData["ConsoleMessage"] = "removed";
        return Redirect("/console");
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        Authenticators = await authenticators.ListAsync(account, ct);
        RecoveryCodesLeft = await recoveryCodes.RemainingAsync(account.Id, ct);
        var changed = await db.AccountNotices.AsNoTracking().Where(n => n.AccountId == account.Id && n.Kind == NoticeKinds.PasswordChanged)
            .OrderByDescending(n => n.CreatedAt).Select(n => (DateTimeOffset?)n.CreatedAt).FirstOrDefaultAsync(ct);
        PasswordEverChanged = changed is not null;
        PasswordChangedAt = changed ?? account.CreatedAt;
        return Page();
    }
}
