using IdentityHub.Authentication.Sessions;
using IdentityHub.Data.Accounts;
using IdentityHub.Server.Pages.Shared.Security;
using IdentityHub.Signing.Activation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Sign;

/// <summary>
/// The signature activation page (CEN EN 419 241-1 SCAL2, issue 10 point 1): it shows exactly what will be signed (each
/// document's name, size and SHA-256, the certificate, the agency asking) and takes the citizen's second factor over
/// it: a passkey whose challenge is derived from those hashes, or a TOTP code entered here, on the page that shows them.
/// Afterwards the citizen goes back to a local return URL (the portal or the agency flow that prepared the activation).
/// </summary>
[Authorize(Policy = CitizenPolicies.Citizen)]
internal sealed class ActivateModel(
    SignatureActivations activations, ActivationConfirmations confirmations, UserManager<HubAccount> users, IStringLocalizer<Texts> t) : PageModel
{
    public PreparedActivation? Activation { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public Guid ChallengeId { get; set; }

    [BindProperty]
    public string? Credential { get; set; }

    public bool IsPending => Activation?.State == Data.Signing.SignatureActivationStates.Prepared && Activation.ExpiresAt > DateTimeOffset.UtcNow;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await ShowAsync(id, ct);

    public async Task<IActionResult> OnPostTotpAsync(Guid id, CancellationToken ct)
    {
        if (await users.GetUserAsync(User) is not { } account)
        {
            return Challenge();
        }

        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), t["Verify.EnterCode"]);
            return await ShowAsync(id, ct);
        }

        return await ResultAsync(id, await confirmations.ConfirmTotpAsync(id, account, Code, ct), nameof(Code), ct);
    }

    public async Task<IActionResult> OnPostPasskeyOptionsAsync(Guid id, CancellationToken ct) =>
        await users.GetUserAsync(User) is { } account && await confirmations.BeginPasskeyAsync(id, account, HttpContext, ct) is { } challenge
            ? SecurityPages.OptionsResult(challenge)
            : NotFound();

    public async Task<IActionResult> OnPostPasskeyAsync(Guid id, CancellationToken ct)
    {
        if (await users.GetUserAsync(User) is not { } account)
        {
            return Challenge();
        }

        return await ResultAsync(id, await confirmations.ConfirmPasskeyAsync(id, account, ChallengeId, Credential ?? "", HttpContext, ct), "passkey", ct);
    }

    private async Task<IActionResult> ResultAsync(Guid id, ConfirmOutcome outcome, string field, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return LocalRedirect(SecurityPages.SafeReturnUrl(Url, ReturnUrl, SessionAudiences.Citizen));
        }

        ModelState.AddModelError(field, t["Sign.Error." + outcome.Error]);
        return await ShowAsync(id, ct);
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        if (await users.GetUserAsync(User) is not { } account)
        {
            return Challenge();
        }

        Activation = await activations.FindAsync(id, account.Id, ct);
        return Activation is null ? NotFound() : Page();
    }
}
