using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Server.Pages.Shared.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Account;

/// <summary>
/// Choosing the first second factor after activation: a passkey or an authenticator app. A set-up session opened by the
/// password alone (activation left unfinished, then a later login) cannot add one: it says what to do instead.
/// </summary>
internal sealed class SetupModel(LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    public string? BindingRefusal { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await flow.BindingLevelForAsync(User, AuthenticationMethods.Totp, ct) == LevelOfAssurance.None)
        {
            BindingRefusal = SecurityPages.LowSessionMessage(t, User);
        }
    }
}
