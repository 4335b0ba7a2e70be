using IdentityHub.Authentication.Sessions;
using IdentityHub.Oidc.Consent;
using IdentityHub.Saml.Consent;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen.Account;

/// <summary>
/// The services a citizen has allowed to receive their details (docs/oidc.md "Consent"): agency, attributes, date, and
/// withdrawal, which revokes the consent and the tokens issued under it; the agency's next request asks again. SAML
/// service providers' consents (docs/saml.md "Consent") are listed beside them and withdrawn the same way.
/// </summary>
internal sealed class ConsentsModel(OidcConsents consents, SamlConsents samlConsents) : PageModel
{
    public IReadOnlyList<ConsentView> Consents { get; private set; } = [];

    public IReadOnlyList<SamlConsentView> SamlConsents { get; private set; } = [];

    [BindProperty]
    public string? EntityId { get; set; }

    public string? Withdrawn { get; private set; }

    [BindProperty]
    public string? ClientId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        Withdrawn = TempData["ConsentWithdrawn"] as string;
        Consents = await consents.ListAsync(accountId, ct);
        SamlConsents = await samlConsents.ListAsync(accountId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawSamlAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        var listed = await samlConsents.ListAsync(accountId, ct);
        if (listed.FirstOrDefault(c => c.EntityId == EntityId) is { } consent
            && await samlConsents.WithdrawAsync(accountId, consent.EntityId, User.Identity!.Name!, ct))
        {
            TempData["ConsentWithdrawn"] = consent.AgencyName;
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        var listed = await consents.ListAsync(accountId, ct);
        if (listed.FirstOrDefault(c => c.ClientId == ClientId) is { } consent
            && await consents.WithdrawAsync(accountId, consent.ClientId, User.Identity!.Name!, ct))
        {
            TempData["ConsentWithdrawn"] = consent.AgencyName;
        }

        return RedirectToPage();
    }
}
