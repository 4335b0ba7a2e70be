using IdentityHub.Saml.Providers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Registry = IdentityHub.Saml.Providers.ServiceProviders;

namespace IdentityHub.Server.Pages.Console.ServiceProviders;

/// <summary>Removes an SP after a confirmation page (ServiceProviders.RemoveAsync, audited `saml.sp.removed` with the admin's name).</summary>
internal sealed class RemoveModel(Registry providers) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string? EntityId { get; set; }

    internal ServiceProviderDetail Detail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await providers.DetailAsync(EntityId ?? "", ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await providers.DetailAsync(EntityId ?? "", ct) is not { } detail
            || !await providers.RemoveAsync(detail.Provider.EntityId, User.Identity!.Name!, ct))
        {
            return NotFound();
        }

        TempData["ServiceProvidersMessage"] = $"The service provider {detail.Provider.DisplayName} ({detail.Provider.EntityId}) is removed.";
        return RedirectToPage("/Console/ServiceProviders/Index");
    }
}
