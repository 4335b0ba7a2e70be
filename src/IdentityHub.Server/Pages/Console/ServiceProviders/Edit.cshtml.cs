using IdentityHub.Saml.Providers;
using Microsoft.AspNetCore.Mvc;
using Registry = IdentityHub.Saml.Providers.ServiceProviders;

namespace IdentityHub.Server.Pages.Console.ServiceProviders;

/// <summary>
/// Changes an SP's settings through ServiceProviders.UpdateSettingsAsync (checked as at registration, audited
/// `saml.sp.updated` with what changed and the admin's name). The entityID, ACS URLs and keys are not settings: they
/// come from the metadata (refresh it to change them). A refusal is shown on the form and nothing is saved.
/// </summary>
internal sealed class EditModel(Registry providers) : ServiceProviderFormModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string? EntityId { get; set; }

    internal ServiceProviderDetail Detail { get; private set; } = null!;

    public override bool Registering => false;

    public override bool HasEncryptionKey => Detail.Metadata is not { EncryptionCertificates.Count: 0 };

    public override bool HasSigningKey => Detail.Metadata is not { SigningCertificates.Count: 0 };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await providers.DetailAsync(EntityId ?? "", ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        Fill(detail.Provider);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await providers.DetailAsync(EntityId ?? "", ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        var change = await providers.UpdateSettingsAsync(detail.Provider.EntityId, Settings(), User.Identity!.Name!, ct);
        if (!change.Found)
        {
            return NotFound();
        }

        if (change.Problem is not null)
        {
            Refuse(change.Problem);
            return Page();
        }

        TempData["ServiceProviderMessage"] = change.Changed.Count == 0
            ? "Nothing changed: the settings were already these."
            : "The settings are saved. They apply from the SP's next request.";
        return RedirectToPage("/Console/ServiceProviders/Provider", new { id = detail.Provider.EntityId });
    }
}
