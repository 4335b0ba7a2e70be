using IdentityHub.Oidc;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Clients;

/// <summary>
/// A new secret for a client that authenticates with one, as `hubctl clients rotate-secret` gives: confirmed first (the
/// old secret stops working at once), then shown once in the POST's answer, which no cache keeps. Audited with the
/// admin's name, never with the secret.
/// </summary>
internal sealed class RotateSecretModel(OidcClients clients) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string? ClientId { get; set; }

    public OidcClientView Client { get; private set; } = null!;

    /// <summary>Set only in the answer to a successful rotation.</summary>
    public string? Secret { get; private set; }

    /// <summary>Why this client's secret cannot be rotated; null when it can.</summary>
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await clients.FindAsync(ClientId ?? "", ct) is not { } client)
        {
            return NotFound();
        }

        Client = client;
        Refusal = RefusalFor(client);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await clients.FindAsync(ClientId ?? "", ct) is not { } client)
        {
            return NotFound();
        }

        Client = client;
        Refusal = RefusalFor(client);
        if (Refusal is not null)
        {
            return Page();
        }

        var (result, secret) = await clients.RotateSecretAsync(client.ClientId, User.Identity!.Name!, ct);
        if (!result.Succeeded)
        {
            Refusal = result.Problem;
            return Page();
        }

        Secret = secret;
        // The page holds a secret: keep it out of every cache and the back-forward history.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private static string? RefusalFor(OidcClientView client) => client.AuthenticationMethod == "client_secret_basic"
        ? null
        : "This client has no secret to rotate: it is public, or signs its requests with its own keys (private_key_jwt).";
}
