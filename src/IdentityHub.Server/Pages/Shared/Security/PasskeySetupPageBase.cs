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

/// <summary>Registering a passkey: a name, the browser's dialogue, and the hub's attestation policy on the answer.</summary>
internal abstract class PasskeySetupPageBase(PasskeyCeremonies ceremonies, UserManager<HubAccount> users, LoginFlow flow, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public Guid ChallengeId { get; set; }

    [BindProperty]
    public string? Credential { get; set; }

    protected abstract string AfterPath(bool firstFactor);


    public async Task<IActionResult> OnPostPasskeyOptionsAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        return account is null ? Forbid() : SecurityPages.OptionsResult(await ceremonies.BeginRegistrationAsync(account, HttpContext, ct));
    }

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        var firstFactor = User.SetupRequiredOf() is not null;
        var outcome = await ceremonies.FinishRegistrationAsync(account, ChallengeId, Credential ?? "", string.IsNullOrWhiteSpace(Name) ? t["Passkey.DefaultName"] : Name, HttpContext, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("passkey-create", SecurityPages.Message(t, outcome.Error));
            return Page();
        }

        var details = outcome.Details!;
        var method = !details.UserVerifiedAtRegistration ? AuthenticationMethods.Passkey
            : details.AttestationTrusted ? AuthenticationMethods.PasskeyVerifiedAttested : AuthenticationMethods.PasskeyVerified;
        await flow.RecordNewFactorAsync(HttpContext, User, new AuthenticationRecord(method, details.CreatedAt,
            new PasskeyFacts(details.UserVerifiedAtRegistration, details.BackupEligible, false, details.AttestationTrusted)), ct);
        TempData["AccountMessage"] = details.AttestationTrusted ? "passkey-added-high" : "passkey-added";
        return LocalRedirect(AfterPath(firstFactor));
    }
}
