using IdentityHub.Oidc;
using IdentityHub.Oidc.Consent;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Clients;

/// <summary>
/// One client's settings; an admin may change whether it is a government service, and disable or enable it (each change
/// audited with their name).
/// </summary>
internal sealed class ClientModel(OidcClients clients, GovernmentServices governmentServices) : PageModel
{
    public OidcClientView Client { get; private set; } = null!;

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken ct)
    {
        if (await clients.FindAsync(id ?? "", ct) is not { } client)
        {
            return NotFound();
        }

        Client = client;
        Message = TempData["ClientMessage"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostGovernmentServiceAsync(string? id, bool governmentService, CancellationToken ct)
    {
        if (!await governmentServices.SetAsync(id ?? "", governmentService, User.Identity!.Name!, ct))
        {
            return NotFound();
        }

        TempData["ClientMessage"] = governmentService
            ? "This client is now a government service: citizens are no longer asked for consent."
            : "Citizens are now asked for consent before this client receives their details.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostStatusAsync(string? id, bool disabled, CancellationToken ct)
    {
        var result = disabled
            ? await clients.DisableAsync(id ?? "", User.Identity!.Name!, ct)
            : await clients.EnableAsync(id ?? "", User.Identity!.Name!, ct);
        if (!result.Succeeded)
        {
            return NotFound();
        }

        TempData["ClientMessage"] = disabled
            ? "The client is disabled: its requests are refused and the tokens it held are revoked."
            : "The client is enabled: it can sign citizens in again.";
        return RedirectToPage(new { id });
    }
}
