using IdentityHub.Oidc;
using Microsoft.AspNetCore.Mvc;

namespace IdentityHub.Server.Pages.Console.Clients;

/// <summary>
/// Registers a client through the same registry as `hubctl clients add` (OidcClients.AddAsync, audited with the admin's
/// name). A refused setting is shown next to its field; a confidential client's generated secret is shown once, in
/// the POST's answer, which no cache keeps. A client that registers its JWKS (private_key_jwt) gets no secret.
/// </summary>
internal sealed class NewModel(OidcClients clients) : ClientFormModel
{
    [BindProperty]
    public string? ClientId { get; set; }

    [BindProperty]
    public bool Confidential { get; set; }

    public override bool ChoosesType => true;

    public override bool OffersJwks => true;

    protected override string SecretInput => nameof(Confidential);

    /// <summary>Set only in the answer to a successful registration.</summary>
    public string? Registered { get; private set; }

    public string? Secret { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var secret = JwksText is null && (Confidential || ClientCredentials) ? OidcClients.NewSecret() : null;
        var spec = Apply(new OidcClientSpec { ClientId = ClientId?.Trim() ?? "", DisplayName = "", ClientSecret = secret });
        var result = await clients.AddAsync(spec, User.Identity!.Name!, ct);
        if (!result.Succeeded)
        {
            Refuse(result);
            return Page();
        }

        Registered = spec.ClientId;
        Secret = secret;
        // The page may hold a secret: keep it out of every cache and the back-forward history.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
