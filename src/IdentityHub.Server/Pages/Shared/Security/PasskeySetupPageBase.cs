using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Shared.Security;

/// <summary>
/// Registering a passkey: a name, the browser's dialogue, and the hub's attestation policy on the answer. The passkey
/// is bound at the level of this session (NIST SP 800-63B §6.1.2.1); a session below the level a passkey gives (a
/// set-up session opened by a password alone) registers nothing and says what to do instead.
/// </summary>
internal abstract class PasskeySetupPageBase(PasskeyCeremonies ceremonies, UserManager<HubAccount> users, LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public Guid ChallengeId { get; set; }

    [BindProperty]
    public string? Credential { get; set; }

    /// <summary>Why this session cannot add a passkey; null when it can.</summary>
    public string? BindingRefusal { get; private set; }

    protected abstract string AfterPath(bool firstFactor);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await flow.BindingLevelForAsync(User, AuthenticationMethods.Passkey, ct) == LevelOfAssurance.None)
        {
            BindingRefusal = SecurityPages.LowSessionMessage(t, User);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostPasskeyOptionsAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        var binding = await flow.BindingLevelForAsync(User, AuthenticationMethods.Passkey, ct);
        if (account is null || binding == LevelOfAssurance.None)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        return SecurityPages.OptionsResult(await ceremonies.BeginRegistrationAsync(account, binding, HttpContext, ct));
    }

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        var binding = await flow.BindingLevelForAsync(User, AuthenticationMethods.Passkey, ct);
        if (binding == LevelOfAssurance.None)
        {
            BindingRefusal = SecurityPages.LowSessionMessage(t, User);
            return Page();
        }

        var firstFactor = User.SetupRequiredOf() is not null;
        var outcome = await ceremonies.FinishRegistrationAsync(account, ChallengeId, Credential ?? "", string.IsNullOrWhiteSpace(Name) ? t["Passkey.DefaultName"] : Name, binding, HttpContext, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("passkey-create", SecurityPages.Message(t, outcome.Error));
            return Page();
        }

        var details = outcome.Details!;
        var method = !details.UserVerifiedAtRegistration ? AuthenticationMethods.Passkey
            : details.AttestationTrusted ? AuthenticationMethods.PasskeyVerifiedAttested : AuthenticationMethods.PasskeyVerified;
        // Counted in this session no higher than the session binds (RecordNewFactorAsync caps it).
        await flow.RecordNewFactorAsync(HttpContext, User, new AuthenticationRecord(method, details.CreatedAt,
            new PasskeyFacts(details.UserVerifiedAtRegistration, details.BackupEligible, false, details.AttestationTrusted)), ct);
        TempData["AccountMessage"] = !details.AttestationTrusted ? "passkey-added"
            : binding >= LevelOfAssurance.High ? "passkey-added-high"
            : "passkey-added-bound";
        return LocalRedirect(AfterPath(firstFactor));
    }
}
