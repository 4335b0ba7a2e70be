using System.Text.Json;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>What an agency registers: one OpenID Connect client.</summary>
public sealed record OidcClientSpec
{
    public required string ClientId { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>Null: a public client (PKCE only), unless it registers <see cref="Jwks"/>. Otherwise client_secret_basic; stored only as a hash.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>
    /// The client's public keys (a JWKS document) for private_key_jwt (RFC 7523): a confidential client that holds no
    /// shared secret. Private members are refused.
    /// </summary>
    public string? Jwks { get; init; }

    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    public IReadOnlyList<string> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>Scopes the client may ask for, beyond openid: profile, national_id (an entitlement), offline_access.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>
    /// The sector its pairwise subjects are computed for (a host name). Clients of one sector share subjects. Null: the
    /// host of the redirect URIs, which must then all share one host.
    /// </summary>
    public string? Sector { get; init; }

    /// <summary>The back-end may get tokens for itself (client credentials); needs a secret.</summary>
    public bool AllowClientCredentials { get; init; }

    /// <summary>
    /// A government service the operator decided needs no consent: citizens are not asked before it receives what it is
    /// registered for (stored as OpenIddict's implicit consent type). Default false: citizens consent (docs/oidc.md "Consent").
    /// </summary>
    public bool GovernmentService { get; init; }
}

/// <summary>A registered client as the registry shows it.</summary>
public sealed record OidcClientView(
    string ClientId, string DisplayName, string ClientType, string Sector, IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris, IReadOnlyList<string> Scopes, bool ClientCredentials)
{
    /// <summary>Citizens are not asked for consent (see <see cref="OidcClientSpec.GovernmentService"/>).</summary>
    public bool GovernmentService { get; init; }
}

/// <summary>The outcome of a registration: the field that is wrong and why, or nothing.</summary>
public sealed record OidcClientResult(string? Field, string? Problem)
{
    public bool Succeeded => Field is null;

    public static OidcClientResult Ok { get; } = new(null, null);
}

/// <summary>
/// The client registry over OpenIddict's application store: a bad configuration is refused with the field named;
/// redirect URIs are absolute, https (http only to a loopback address), without fragment, and matched exactly.
/// </summary>
public sealed class OidcClients(IOpenIddictApplicationManager applications, AuditLog audit)
{
    public const string SectorProperty = "sector";

    public async Task<OidcClientResult> AddAsync(OidcClientSpec spec, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Validate(spec) is { } problem)
        {
            return problem;
        }

        if (await applications.FindByClientIdAsync(spec.ClientId, ct) is not null)
        {
            return new OidcClientResult("client_id", $"A client with id '{spec.ClientId}' is already registered.");
        }

        var confidential = spec.ClientSecret is not null || spec.Jwks is not null;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = spec.ClientId,
            ClientSecret = spec.ClientSecret,
            ClientType = confidential ? ClientTypes.Confidential : ClientTypes.Public,
            ConsentType = spec.GovernmentService ? ConsentTypes.Implicit : ConsentTypes.Explicit,
            DisplayName = spec.DisplayName,
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        if (spec.Jwks is not null)
        {
            descriptor.JsonWebKeySet = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(spec.Jwks);
        }

        foreach (var uri in spec.RedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        foreach (var uri in spec.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        if (spec.RedirectUris.Count > 0)
        {
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + OidcScopes.OpenId]);
        }

        if (spec.AllowClientCredentials)
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        }

        foreach (var scope in spec.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
            if (scope == OidcScopes.OfflineAccess)
            {
                descriptor.Permissions.Add(Permissions.GrantTypes.RefreshToken);
            }
        }

        descriptor.Properties[SectorProperty] = JsonSerializer.SerializeToElement(SectorOf(spec));
        await applications.CreateAsync(descriptor, ct);
        await audit.AppendAsync(new AuditEvent("oidc.client.added", actor, spec.ClientId, new Dictionary<string, string>
        {
            ["type"] = descriptor.ClientType!,
            ["sector"] = SectorOf(spec),
            ["scopes"] = string.Join(' ', spec.Scopes),
            ["redirectUris"] = string.Join(' ', spec.RedirectUris),
        }), ct);
        if (spec.GovernmentService)
        {
            await Consent.GovernmentServices.AuditAsync(audit, spec.ClientId, true, actor, ct);
        }

        return OidcClientResult.Ok;
    }

    /// <summary>Every registered client, as an operator lists them (never a secret: only its hash is stored).</summary>
    public async Task<IReadOnlyList<OidcClientView>> ListAsync(CancellationToken ct)
    {
        var views = new List<OidcClientView>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, ct))
        {
            views.Add(await ViewAsync(application, ct));
        }

        return [.. views.OrderBy(v => v.ClientId, StringComparer.Ordinal)];
    }

    public async Task<OidcClientView?> FindAsync(string clientId, CancellationToken ct) =>
        await applications.FindByClientIdAsync(clientId, ct) is { } application ? await ViewAsync(application, ct) : null;

    private async Task<OidcClientView> ViewAsync(object application, CancellationToken ct)
    {
        var permissions = await applications.GetPermissionsAsync(application, ct);
        return new OidcClientView(
            (await applications.GetClientIdAsync(application, ct))!,
            (await applications.GetDisplayNameAsync(application, ct)) ?? "",
            (await applications.GetClientTypeAsync(application, ct)) ?? "",
            await SectorAsync(application, ct),
            [.. (await applications.GetRedirectUrisAsync(application, ct)).Order(StringComparer.Ordinal)],
            [.. (await applications.GetPostLogoutRedirectUrisAsync(application, ct)).Order(StringComparer.Ordinal)],
            [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..]).Order(StringComparer.Ordinal)],
            permissions.Contains(Permissions.GrantTypes.ClientCredentials))
        {
            GovernmentService = await applications.GetConsentTypeAsync(application, ct) == ConsentTypes.Implicit,
        };
    }

    /// <summary>The sector of a registered client, for its pairwise subjects.</summary>
    public async Task<string> SectorAsync(object application, CancellationToken ct)
    {
        var properties = await applications.GetPropertiesAsync(application, ct);
        return properties.TryGetValue(SectorProperty, out var sector) && sector.ValueKind == JsonValueKind.String
            ? sector.GetString()!
            : throw new InvalidOperationException($"Client {await applications.GetClientIdAsync(application, ct)} has no sector.");
    }

    private static string SectorOf(OidcClientSpec spec) =>
        spec.Sector ?? (spec.RedirectUris.Count > 0 ? new Uri(spec.RedirectUris[0]).Host : spec.ClientId);

    private static OidcClientResult? Validate(OidcClientSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.ClientId) || spec.ClientId.Length > 100 || spec.ClientId.Any(c => c is < '!' or > '~'))
        {
            return new OidcClientResult("client_id", "Give a client id of 1 to 100 printable ASCII characters without spaces.");
        }

        if (string.IsNullOrWhiteSpace(spec.DisplayName))
        {
            return new OidcClientResult("display_name", "Give the name citizens will see for this agency.");
        }

        if (spec.ClientSecret is { Length: < 32 })
        {
            return new OidcClientResult("client_secret", "A client secret has at least 32 characters; better, use private_key_jwt.");
        }

        if (spec.Jwks is not null && JwksProblem(spec.Jwks) is { } jwksProblem)
        {
            return new OidcClientResult("jwks", jwksProblem);
        }

        if (spec.RedirectUris.Count == 0 && !spec.AllowClientCredentials)
        {
            return new OidcClientResult("redirect_uris", "Give at least one redirect URI (or allow client credentials for a back-end).");
        }

        if (spec.AllowClientCredentials && spec.ClientSecret is null && spec.Jwks is null)
        {
            return new OidcClientResult("client_secret", "Client credentials need a confidential client: give a secret or a JWKS.");
        }

        foreach (var (field, uris) in new[] { ("redirect_uris", spec.RedirectUris), ("post_logout_redirect_uris", spec.PostLogoutRedirectUris) })
        {
            foreach (var value in uris)
            {
                if (RedirectProblem(value) is { } why)
                {
                    return new OidcClientResult(field, $"{value}: {why}");
                }
            }
        }

        if (spec.Sector is null && spec.RedirectUris.Select(u => new Uri(u).Host).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
        {
            return new OidcClientResult("sector", "The redirect URIs name more than one host: give the sector identifier their subjects belong to.");
        }

        if (spec.Scopes.FirstOrDefault(s => !OidcScopes.All.Contains(s)) is { } unknown)
        {
            return new OidcClientResult("scopes", $"Unknown scope '{unknown}'; the hub knows {string.Join(", ", OidcScopes.All)}.");
        }

        return null;
    }

    private static string? JwksProblem(string jwks)
    {
        Microsoft.IdentityModel.Tokens.JsonWebKeySet set;
        try
        {
            set = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(jwks);
        }
        catch (ArgumentException ex)
        {
            return "not a JWKS document: " + ex.Message;
        }

        if (set.Keys.Count == 0)
        {
            return "the JWKS holds no key.";
        }

        foreach (var key in set.Keys)
        {
            if (key.HasPrivateKey || !string.IsNullOrEmpty(key.K))
            {
                return $"key {key.Kid ?? "(no kid)"} has private or symmetric members: register public keys only.";
            }

            if (key.Kty is not ("EC" or "RSA"))
            {
                return $"key {key.Kid ?? "(no kid)"} is {key.Kty}: use EC (P-256) or RSA (2048 bits or more).";
            }

            if (key.Kty == "RSA" && Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(key.N).Length < 256)
            {
                return $"key {key.Kid ?? "(no kid)"} is RSA under 2048 bits.";
            }
        }

        return null;
    }

    private static string? RedirectProblem(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "not an absolute URI.";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "a redirect URI has no fragment (RFC 6749 §3.1.2).";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback ? null : "use https (plain http only to a loopback address).";
    }
}
