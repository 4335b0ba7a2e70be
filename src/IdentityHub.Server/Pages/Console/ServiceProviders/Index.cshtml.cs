using IdentityHub.Saml.Providers;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Registry = IdentityHub.Saml.Providers.ServiceProviders;

namespace IdentityHub.Server.Pages.Console.ServiceProviders;

/// <summary>Admins see every registered SAML service provider (docs/officer-console.md "SAML service providers").</summary>
internal sealed class IndexModel(Registry providers) : PageModel
{
    public IReadOnlyList<ServiceProviderView> Providers { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Providers = await providers.ListAsync(ct);
        Message = TempData["ServiceProvidersMessage"] as string;
    }
}
