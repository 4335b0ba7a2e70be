using IdentityHub.Oidc;
using Microsoft.AspNetCore.Mvc;

namespace IdentityHub.Server.Pages.Console.Clients;

/// <summary>
/// Changes a client's settings through the same registry as `hubctl clients update` (OidcClients.UpdateAsync, audited
/// with the admin's name). The client id, its type and its secret stay (a client with its own keys may register new
/// ones); a refused setting is shown next to its field and nothing is saved.
/// </summary>
internal sealed class EditModel(OidcClients clients) : ClientFormModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string? ClientId { get; set; }

    public OidcClientView Client { get; private set; } = null!;

    public override bool ChoosesType => false;

    public override bool OffersJwks => Client.AuthenticationMethod == "private_key_jwt";

    protected override string SecretInput => nameof(ClientCredentials);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await clients.FindAsync(ClientId ?? "", ct) is not { } client)
        {
            return NotFound();
        }

        Client = client;
        Fill(client);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await clients.FindAsync(ClientId ?? "", ct) is not { } client)
        {
            return NotFound();
        }

        Client = client;
        var result = await clients.UpdateAsync(client.ClientId, Apply, User.Identity!.Name!, ct);
        if (!result.Succeeded)
        {
            Refuse(result);
            return Page();
        }

        TempData["ClientMessage"] = "The client's settings are saved.";
        return RedirectToPage("/Console/Clients/Client", new { id = client.ClientId });
    }
}
