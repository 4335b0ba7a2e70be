using System.Security.Claims;
using IdentityHub.Authentication.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console;

internal sealed class IndexModel(IAuthorizationService authorization, IStringLocalizer<Texts> t) : PageModel
{
    public IReadOnlyList<string> Roles { get; private set; } = [];

    public bool CanManageStaff { get; private set; }

    public bool CanEnrol { get; private set; }

    public bool CanAudit { get; private set; }

    /// <summary>
    /// The console confirms every change of how one signs in, for the one page view after it: a password change, an
    /// authenticator added (set-up pages), renamed or removed (<c>/console/security</c>), or a recovery code used at sign-in.
    /// </summary>
    public string? Message { get; private set; }

    /// <summary>The message's key (password-changed, passkey-added, removed, renamed, recovery-code-used, …).</summary>
    public string? MessageKey { get; private set; }

    public async Task OnGetAsync()
    {
        // The shared set-up pages (passkey, app) say what they did under AccountMessage; the console's own pages under ConsoleMessage.
        MessageKey = TempData["ConsoleMessage"] as string ?? TempData["AccountMessage"] as string;
        Message = MessageKey is null || t["Account.Message." + MessageKey] is not { ResourceNotFound: false } text ? null : text.Value;
        Roles = User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        CanManageStaff = (await authorization.AuthorizeAsync(User, StaffPolicies.Admin)).Succeeded;
        CanEnrol = (await authorization.AuthorizeAsync(User, StaffPolicies.Officer)).Succeeded;
        CanAudit = (await authorization.AuthorizeAsync(User, StaffPolicies.Auditor)).Succeeded;
    }
}
