using IdentityHub.Oidc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Clients;

/// <summary>Admins see every registered OpenID Connect client (docs/officer-console.md "OIDC clients"); never a secret.</summary>
internal sealed class IndexModel(OidcClients clients) : PageModel
{
    public IReadOnlyList<OidcClientView> Clients { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Clients = await clients.ListAsync(ct);
}
