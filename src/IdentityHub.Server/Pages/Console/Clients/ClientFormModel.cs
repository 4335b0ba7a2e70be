using IdentityHub.Oidc;
using IdentityHub.Oidc.SigningKeys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Clients;

/// <summary>
/// The settings an admin registers and changes (the _ClientSettings partial), posted to the same registry as
/// `hubctl clients add` and `update`. The registry checks them and names the wrong field; the page shows that message
/// next to the input it belongs to.
/// </summary>
internal abstract class ClientFormModel : PageModel
{
    /// <summary>The registry's field names (OidcClientResult.Field) and the inputs they belong to.</summary>
    private static readonly Dictionary<string, string> Inputs = new(StringComparer.Ordinal)
    {
        ["client_id"] = "ClientId",
        ["display_name"] = nameof(DisplayName),
        ["jwks"] = nameof(Jwks),
        ["redirect_uris"] = nameof(RedirectUris),
        ["post_logout_redirect_uris"] = nameof(PostLogoutRedirectUris),
        ["backchannel_logout_uri"] = nameof(BackChannelLogoutUri),
        ["sector"] = nameof(Sector),
        ["scopes"] = nameof(Scopes),
        ["profile"] = nameof(Profile),
        ["contacts"] = nameof(Contacts),
        ["signing_alg"] = nameof(SigningAlgorithm),
    };

    /// <summary>The inputs in page order, for the error summary.</summary>
    public static IReadOnlyList<string> FieldOrder { get; } =
    [
        "ClientId", nameof(DisplayName), nameof(RedirectUris), nameof(PostLogoutRedirectUris), nameof(BackChannelLogoutUri),
        nameof(Scopes), nameof(Sector), nameof(Profile), nameof(SigningAlgorithm), "Confidential", nameof(Jwks),
        nameof(ClientCredentials), nameof(Contacts),
    ];

    /// <summary>The ID token signing algorithms an admin can choose (decision 0018).</summary>
    public static IReadOnlyList<string> SigningAlgorithms => OidcSigningAlgorithms.All;

    [BindProperty]
    public string? DisplayName { get; set; }

    /// <summary>One URI a line.</summary>
    [BindProperty]
    public string? RedirectUris { get; set; }

    /// <summary>One URI a line.</summary>
    [BindProperty]
    public string? PostLogoutRedirectUris { get; set; }

    [BindProperty]
    public string? BackChannelLogoutUri { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    [BindProperty]
    public string? Sector { get; set; }

    /// <summary>standard or fapi2 (FAPI 2.0 Security Profile).</summary>
    [BindProperty]
    public string? Profile { get; set; } = OidcClientProfiles.Standard;

    [BindProperty]
    public bool RequirePushedAuthorization { get; set; }

    [BindProperty]
    public bool RequireDpop { get; set; }

    [BindProperty]
    public string? SigningAlgorithm { get; set; } = OidcSigningAlgorithms.Default;

    /// <summary>The client's public keys (a JWKS document) for private_key_jwt; empty when editing keeps the registered keys.</summary>
    [BindProperty]
    public string? Jwks { get; set; }

    [BindProperty]
    public bool ClientCredentials { get; set; }

    [BindProperty]
    public bool GovernmentService { get; set; }

    /// <summary>E-mail addresses, one a line.</summary>
    [BindProperty]
    public string? Contacts { get; set; }

    /// <summary>Whether the form offers the Confidential checkbox (registration only: the type never changes).</summary>
    public abstract bool ChoosesType { get; }

    /// <summary>Whether the form offers the JWKS: at registration, and for a client that authenticates with its keys.</summary>
    public abstract bool OffersJwks { get; }

    /// <summary>The input a secret problem belongs to: Confidential when registering, ClientCredentials when editing.</summary>
    protected abstract string SecretInput { get; }

    /// <summary>The JWKS as typed, or null when the field is empty.</summary>
    protected string? JwksText => string.IsNullOrWhiteSpace(Jwks) ? null : Jwks.Trim();

    /// <summary>The form's settings over <paramref name="spec"/>; the id and the secret stay, and the JWKS unless a new one is given.</summary>
    protected OidcClientSpec Apply(OidcClientSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with
        {
            DisplayName = DisplayName?.Trim() ?? "",
            Jwks = OffersJwks && JwksText is { } jwks ? jwks : spec.Jwks,
            RedirectUris = Lines(RedirectUris),
            PostLogoutRedirectUris = Lines(PostLogoutRedirectUris),
            BackChannelLogoutUri = string.IsNullOrWhiteSpace(BackChannelLogoutUri) ? null : BackChannelLogoutUri.Trim(),
            Scopes = [.. Scopes.Distinct(StringComparer.Ordinal)],
            Sector = string.IsNullOrWhiteSpace(Sector) ? null : Sector.Trim(),
            Profile = string.IsNullOrWhiteSpace(Profile) ? OidcClientProfiles.Standard : Profile.Trim(),
            RequirePushedAuthorization = RequirePushedAuthorization,
            RequireDpop = RequireDpop,
            SigningAlgorithm = string.IsNullOrWhiteSpace(SigningAlgorithm) ? null : SigningAlgorithm.Trim(),
            AllowClientCredentials = ClientCredentials,
            GovernmentService = GovernmentService,
            Contacts = Lines(Contacts),
        };
    }

    /// <summary>Fills the form with a registered client's settings.</summary>
    protected void Fill(OidcClientView client)
    {
        ArgumentNullException.ThrowIfNull(client);
        DisplayName = client.DisplayName;
        RedirectUris = string.Join('\n', client.RedirectUris);
        PostLogoutRedirectUris = string.Join('\n', client.PostLogoutRedirectUris);
        BackChannelLogoutUri = client.BackChannelLogoutUri;
        Scopes = [.. client.Scopes.Where(s => s != OidcScopes.OpenId)];
        Sector = client.Sector;
        Profile = client.Profile;
        RequirePushedAuthorization = client.RequirePushedAuthorization;
        RequireDpop = client.RequireDpop;
        SigningAlgorithm = client.SigningAlgorithm;
        ClientCredentials = client.ClientCredentials;
        GovernmentService = client.GovernmentService;
        Contacts = string.Join('\n', client.Contacts);
    }

    /// <summary>Shows the registry's refusal next to the input of the field it names.</summary>
    protected void Refuse(OidcClientResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var input = result.Field == "client_secret" ? SecretInput : Inputs.GetValueOrDefault(result.Field!, "ClientId");
        ModelState.AddModelError(input, result.Problem!);
    }

    private static string[] Lines(string? text) =>
        text?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
