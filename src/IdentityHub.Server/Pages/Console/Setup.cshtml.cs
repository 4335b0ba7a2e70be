using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Data.Accounts;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console;

/// <summary>
/// Staff set up a second factor before the console opens; admins must register a passkey. A set-up session opened by
/// a password alone (not a one-time password) binds no authenticator (NIST SP 800-63B §6.1.2.1), so instead of choices
/// that would each refuse, the page says what to do: ask an admin for a new one-time password.
/// </summary>
internal sealed class SetupModel(LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    public bool PasskeyOnly => User.IsInRole(StaffRoles.Admin);

    /// <summary>Why this session cannot set up anything; null when it can.</summary>
    public string? BindingRefusal { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await flow.BindingLevelForAsync(User, AuthenticationMethods.Passkey, ct) == LevelOfAssurance.None)
        {
            BindingRefusal = SecurityPages.LowSessionMessage(t, User);
        }
    }
}
