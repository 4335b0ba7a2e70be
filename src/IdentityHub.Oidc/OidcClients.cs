using System.Security.Cryptography;
using System.Text.Json;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using Microsoft.IdentityModel.Tokens;
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
    /// The security profile: <see cref="OidcClientProfiles.Standard"/>, or <see cref="OidcClientProfiles.Fapi2"/> (FAPI 2.0
    /// Security Profile), which implies pushed authorization requests, DPoP-bound tokens and private_key_jwt.
    /// </summary>
    public string Profile { get; init; } = OidcClientProfiles.Standard;

    /// <summary>Authorization requests must be pushed first (RFC 9126); one sent by value is refused.</summary>
    public bool RequirePushedAuthorization { get; init; }

    /// <summary>Token requests must carry a DPoP proof (RFC 9449), so every access token is bound to the client's key.</summary>
    public bool RequireDpop { get; init; }

    /// <summary>Who at the agency answers for this client (e-mail addresses), for the operators.</summary>
    public IReadOnlyList<string> Contacts { get; init; } = [];

    /// <summary>How its ID tokens are signed: ES256 (null: the default), PS256 or RS256 (decision 0018). Access tokens are always ES256.</summary>
    public string? SigningAlgorithm { get; init; }

    /// <summary>
    /// Where the hub POSTs a logout token when a hub session this client signed in to ends (Back-Channel Logout 1.0
    /// §2.2). Null: the client is not told. The hub always sends sid (backchannel_logout_session_required is true).
    /// </summary>
    public string? BackChannelLogoutUri { get; init; }

    /// <summary>
    /// A government service the operator decided needs no consent: citizens are not asked before it receives what it is
    /// registered for (stored as OpenIddict's implicit consent type). Default false: citizens consent (docs/oidc.md "Consent").
    /// </summary>
    public bool GovernmentService { get; init; }
}

/// <summary>The security profiles a client can have.</summary>
public static class OidcClientProfiles
{
    public const string Standard = "standard";

    /// <summary>FAPI 2.0 Security Profile: PAR, PKCE S256, private_key_jwt, DPoP-bound access tokens, iss in the response.</summary>
    public const string Fapi2 = "fapi2";
}

/// <summary>A registered client as the registry shows it.</summary>
public sealed record OidcClientView(
    string ClientId, string DisplayName, string ClientType, string Sector, IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris, IReadOnlyList<string> Scopes, bool ClientCredentials)
{
    public string Profile { get; init; } = OidcClientProfiles.Standard;

    public bool RequirePushedAuthorization { get; init; }

    public bool RequireDpop { get; init; }

    /// <summary>private_key_jwt, client_secret_basic or none.</summary>
    public string AuthenticationMethod { get; init; } = "none";

    public IReadOnlyList<string> Contacts { get; init; } = [];

    /// <summary>When an operator disabled the client; null while it works.</summary>
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>The algorithm its ID tokens are signed with (ES256, PS256 or RS256).</summary>
    public string SigningAlgorithm { get; init; } = SigningKeys.OidcSigningAlgorithms.Default;

    public string? BackChannelLogoutUri { get; init; }

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
public sealed class OidcClients(IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations, AuditLog audit, TimeProvider time)
{
    public const string SectorProperty = "sector";
    public const string ProfileProperty = "profile";
    public const string RequireDpopProperty = "require_dpop";
    public const string ContactsProperty = "contacts";
    public const string DisabledAtProperty = "disabled_at";
    public const string BackChannelLogoutUriProperty = "backchannel_logout_uri";

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

        var descriptor = new OpenIddictApplicationDescriptor { ClientId = spec.ClientId, ClientSecret = spec.ClientSecret };
        Apply(descriptor, spec);
        await applications.CreateAsync(descriptor, ct);
        await audit.AppendAsync(new AuditEvent("oidc.client.added", actor, spec.ClientId, Summary(descriptor, spec)), ct);
        if (spec.GovernmentService)
        {
            await Consent.GovernmentServices.AuditAsync(audit, spec.ClientId, true, actor, ct);
        }

        return OidcClientResult.Ok;
    }

    /// <summary>
    /// Changes a registered client: <paramref name="change"/> gets its settings as they are and returns them as they
    /// shall be. The result is validated as a registration is; the secret is kept (see <see cref="RotateSecretAsync"/>).
    /// </summary>
    public async Task<OidcClientResult> UpdateAsync(string clientId, Func<OidcClientSpec, OidcClientSpec> change, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return new OidcClientResult("client_id", $"No client '{clientId}' is registered.");
        }

        var before = await SpecOfAsync(application, ct);
        var after = change(before) with { ClientId = before.ClientId, ClientSecret = before.ClientSecret };
        if (Validate(after) is { } problem)
        {
            return problem;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        Apply(descriptor, after);
        await applications.UpdateAsync(application, descriptor, ct);
        var details = Summary(descriptor, after);
        details["changed"] = string.Join(' ', Changes(before, after));
        await audit.AppendAsync(new AuditEvent("oidc.client.updated", actor, clientId, details), ct);
        if (before.GovernmentService != after.GovernmentService)
        {
            await Consent.GovernmentServices.AuditAsync(audit, clientId, after.GovernmentService, actor, ct);
        }

        return OidcClientResult.Ok;
    }

    /// <summary>
    /// Stops a client at once: every endpoint refuses it (invalid_client, or an error page at authorize), and every token
    /// and authorization it holds is revoked, so its refresh tokens and access tokens no longer work at the hub.
    /// </summary>
    public async Task<OidcClientResult> DisableAsync(string clientId, string actor, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return new OidcClientResult("client_id", $"No client '{clientId}' is registered.");
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        descriptor.Properties[DisabledAtProperty] = JsonSerializer.SerializeToElement(time.GetUtcNow());
        await applications.UpdateAsync(application, descriptor, ct);
        var id = (await applications.GetIdAsync(application, ct))!;
        var revokedTokens = await tokens.RevokeByApplicationIdAsync(id, ct);
        var revokedAuthorizations = await authorizations.RevokeByApplicationIdAsync(id, ct);
        await audit.AppendAsync(new AuditEvent("oidc.client.disabled", actor, clientId, new Dictionary<string, string>
        {
            ["revokedTokens"] = revokedTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["revokedAuthorizations"] = revokedAuthorizations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), ct);
        return OidcClientResult.Ok;
    }

    /// <summary>Lets a disabled client work again (its old tokens stay revoked).</summary>
    public async Task<OidcClientResult> EnableAsync(string clientId, string actor, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return new OidcClientResult("client_id", $"No client '{clientId}' is registered.");
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        descriptor.Properties.Remove(DisabledAtProperty);
        await applications.UpdateAsync(application, descriptor, ct);
        await audit.AppendAsync(new AuditEvent("oidc.client.enabled", actor, clientId, new Dictionary<string, string>()), ct);
        return OidcClientResult.Ok;
    }

    /// <summary>
    /// Gives a client_secret_basic client a new secret (returned once, stored only hashed); the old one stops working at
    /// once. Tokens already issued stay valid.
    /// </summary>
    public async Task<(OidcClientResult Result, string? Secret)> RotateSecretAsync(string clientId, string actor, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return (new OidcClientResult("client_id", $"No client '{clientId}' is registered."), null);
        }

        if (string.IsNullOrEmpty(Entity(application).ClientSecret))
        {
            return (new OidcClientResult("client_secret", $"Client '{clientId}' has no secret (it uses private_key_jwt or is public): update its JWKS instead."), null);
        }

        var secret = NewSecret();
        await applications.UpdateAsync(application, secret, ct);
        await audit.AppendAsync(new AuditEvent("oidc.client.secret_rotated", actor, clientId, new Dictionary<string, string>()), ct);
        return (OidcClientResult.Ok, secret);
    }

    /// <summary>A new client secret: 256 random bits, base64url.</summary>
    public static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

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
        var spec = await SpecOfAsync(application, ct);
        var properties = await applications.GetPropertiesAsync(application, ct);
        return new OidcClientView(
            spec.ClientId, spec.DisplayName, (await applications.GetClientTypeAsync(application, ct)) ?? "",
            await SectorAsync(application, ct),
            [.. spec.RedirectUris.Order(StringComparer.Ordinal)],
            [.. spec.PostLogoutRedirectUris.Order(StringComparer.Ordinal)],
            [.. spec.Scopes.Append(OidcScopes.OpenId).Distinct().Order(StringComparer.Ordinal)],
            spec.AllowClientCredentials)
        {
            Profile = spec.Profile,
            RequirePushedAuthorization = spec.RequirePushedAuthorization,
            RequireDpop = spec.RequireDpop,
            AuthenticationMethod = spec.Jwks is not null ? "private_key_jwt" : spec.ClientSecret is not null ? "client_secret_basic" : "none",
            Contacts = spec.Contacts,
            SigningAlgorithm = spec.SigningAlgorithm ?? SigningKeys.OidcSigningAlgorithms.Default,
            BackChannelLogoutUri = spec.BackChannelLogoutUri,
            GovernmentService = spec.GovernmentService,
            DisabledAt = properties.TryGetValue(DisabledAtProperty, out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null,
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

    /// <summary>What the protocol handlers enforce per client: disabled, DPoP required.</summary>
    public static async ValueTask<(bool Disabled, bool RequireDpop)> PolicyAsync(IOpenIddictApplicationManager applications, object application, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(applications);
        var properties = await applications.GetPropertiesAsync(application, ct);
        return (properties.ContainsKey(DisabledAtProperty),
            properties.TryGetValue(RequireDpopProperty, out var dpop) && dpop.ValueKind == JsonValueKind.True);
    }

    /// <summary>The registration as it is stored, for an update; ClientSecret is the stored hash (never shown), or null.</summary>
    private async Task<OidcClientSpec> SpecOfAsync(object application, CancellationToken ct)
    {
        var properties = await applications.GetPropertiesAsync(application, ct);
        var permissions = await applications.GetPermissionsAsync(application, ct);
        var requirements = await applications.GetRequirementsAsync(application, ct);
        string? String(string key) => properties.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new OidcClientSpec
        {
            ClientId = (await applications.GetClientIdAsync(application, ct))!,
            DisplayName = (await applications.GetDisplayNameAsync(application, ct)) ?? "",
            ClientSecret = Entity(application).ClientSecret is { Length: > 0 } hash ? hash : null,
            Jwks = Entity(application).JsonWebKeySet is { Length: > 0 } jwks ? jwks : null,
            RedirectUris = [.. await applications.GetRedirectUrisAsync(application, ct)],
            PostLogoutRedirectUris = [.. await applications.GetPostLogoutRedirectUrisAsync(application, ct)],
            Scopes = [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                .Select(p => p[Permissions.Prefixes.Scope.Length..]).Where(s => s != OidcScopes.OpenId)],
            Sector = String(SectorProperty),
            AllowClientCredentials = permissions.Contains(Permissions.GrantTypes.ClientCredentials),
            Profile = String(ProfileProperty) ?? OidcClientProfiles.Standard,
            RequirePushedAuthorization = requirements.Contains(Requirements.Features.PushedAuthorizationRequests),
            RequireDpop = properties.TryGetValue(RequireDpopProperty, out var dpop) && dpop.ValueKind == JsonValueKind.True,
            Contacts = properties.TryGetValue(ContactsProperty, out var contacts) && contacts.ValueKind == JsonValueKind.Array
                ? [.. contacts.EnumerateArray().Select(c => c.GetString()!)]
                : [],
            SigningAlgorithm = String(SigningKeys.ClientSigningAlgorithm.Property),
            BackChannelLogoutUri = String(BackChannelLogoutUriProperty),
            GovernmentService = await applications.GetConsentTypeAsync(application, ct) == ConsentTypes.Implicit,
        };
    }

    /// <summary>Writes every setting of <paramref name="spec"/> but the secret into <paramref name="descriptor"/>.</summary>
    private static void Apply(OpenIddictApplicationDescriptor descriptor, OidcClientSpec spec)
    {
        var fapi = spec.Profile == OidcClientProfiles.Fapi2;
        descriptor.ClientType = spec.ClientSecret is not null || spec.Jwks is not null ? ClientTypes.Confidential : ClientTypes.Public;
        descriptor.ConsentType = spec.GovernmentService ? ConsentTypes.Implicit : ConsentTypes.Explicit;
        descriptor.DisplayName = spec.DisplayName;
        descriptor.JsonWebKeySet = spec.Jwks is null ? null : new JsonWebKeySet(spec.Jwks);

        descriptor.Requirements.Clear();
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        if (spec.RequirePushedAuthorization || fapi)
        {
            descriptor.Requirements.Add(Requirements.Features.PushedAuthorizationRequests);
        }

        descriptor.RedirectUris.Clear();
        descriptor.RedirectUris.UnionWith(spec.RedirectUris.Select(uri => new Uri(uri, UriKind.Absolute)));
        descriptor.PostLogoutRedirectUris.Clear();
        descriptor.PostLogoutRedirectUris.UnionWith(spec.PostLogoutRedirectUris.Select(uri => new Uri(uri, UriKind.Absolute)));

        descriptor.Permissions.Clear();
        if (spec.RedirectUris.Count > 0)
        {
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Authorization, Permissions.Endpoints.PushedAuthorization, Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession, Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + OidcScopes.OpenId]);
        }

        if (spec.AllowClientCredentials)
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        }

        if (descriptor.ClientType == ClientTypes.Confidential)
        {
            // A back-end may ask about (RFC 7662) and revoke (RFC 7009) the tokens issued to it.
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Introspection, Permissions.Endpoints.Revocation]);
        }
        else if (spec.RedirectUris.Count > 0)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
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
        descriptor.Properties[ProfileProperty] = JsonSerializer.SerializeToElement(spec.Profile);
        descriptor.Properties[RequireDpopProperty] = JsonSerializer.SerializeToElement(spec.RequireDpop || fapi);
        descriptor.Properties[ContactsProperty] = JsonSerializer.SerializeToElement(spec.Contacts);
        descriptor.Properties[SigningKeys.ClientSigningAlgorithm.Property] =
            JsonSerializer.SerializeToElement(spec.SigningAlgorithm ?? SigningKeys.OidcSigningAlgorithms.Default);
        descriptor.Properties.Remove(BackChannelLogoutUriProperty);
        descriptor.Properties.Remove("backchannel_logout_session_required");
        if (spec.BackChannelLogoutUri is not null)
        {
            descriptor.Properties[BackChannelLogoutUriProperty] = JsonSerializer.SerializeToElement(spec.BackChannelLogoutUri);
            descriptor.Properties["backchannel_logout_session_required"] = JsonSerializer.SerializeToElement(true);
        }
    }

    private static Dictionary<string, string> Summary(OpenIddictApplicationDescriptor descriptor, OidcClientSpec spec) => new()
    {
        ["type"] = descriptor.ClientType!,
        ["sector"] = SectorOf(spec),
        ["scopes"] = string.Join(' ', spec.Scopes),
        ["redirectUris"] = string.Join(' ', spec.RedirectUris),
        ["profile"] = spec.Profile,
        ["par"] = descriptor.Requirements.Contains(Requirements.Features.PushedAuthorizationRequests) ? "required" : "optional",
        ["dpop"] = spec.RequireDpop || spec.Profile == OidcClientProfiles.Fapi2 ? "required" : "optional",
        ["signingAlg"] = spec.SigningAlgorithm ?? SigningKeys.OidcSigningAlgorithms.Default,
        ["backchannelLogoutUri"] = spec.BackChannelLogoutUri ?? "",
    };

    /// <summary>The names of the settings an update changes, for its audit event.</summary>
    private static IEnumerable<string> Changes(OidcClientSpec before, OidcClientSpec after)
    {
        static string Set(IEnumerable<string> values) => string.Join(' ', values.Order(StringComparer.Ordinal));
        (string Field, object? Before, object? After)[] fields =
        [
            ("display_name", before.DisplayName, after.DisplayName),
            ("jwks", before.Jwks, after.Jwks),
            ("redirect_uris", Set(before.RedirectUris), Set(after.RedirectUris)),
            ("post_logout_redirect_uris", Set(before.PostLogoutRedirectUris), Set(after.PostLogoutRedirectUris)),
            ("scopes", Set(before.Scopes), Set(after.Scopes)),
            ("sector", SectorOf(before), SectorOf(after)),
            ("client_credentials", before.AllowClientCredentials, after.AllowClientCredentials),
            ("profile", before.Profile, after.Profile),
            ("require_pushed_authorization_requests", before.RequirePushedAuthorization, after.RequirePushedAuthorization),
            ("dpop_bound_access_tokens", before.RequireDpop, after.RequireDpop),
            ("contacts", Set(before.Contacts), Set(after.Contacts)),
            ("government_service", before.GovernmentService, after.GovernmentService),
            ("backchannel_logout_uri", before.BackChannelLogoutUri, after.BackChannelLogoutUri),
            ("signing_alg", before.SigningAlgorithm ?? SigningKeys.OidcSigningAlgorithms.Default, after.SigningAlgorithm ?? SigningKeys.OidcSigningAlgorithms.Default),
        ];
        return fields.Where(f => !Equals(f.Before, f.After)).Select(f => f.Field);
    }

    /// <summary>The stored row (the hub keeps clients in PostgreSQL through OpenIddict's EF Core stores).</summary>
    private static OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication Entity(object application) =>
        application as OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication
        ?? throw new InvalidOperationException("The client registry expects OpenIddict's EF Core application entity.");

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

        // Back-Channel Logout 1.0 §2.2: absolute, no fragment; https like redirect URIs (http only to loopback).
        if (spec.BackChannelLogoutUri is { } logout && (Uri.TryCreate(logout, UriKind.Absolute, out var logoutUri) && !string.IsNullOrEmpty(logoutUri.Fragment)
            ? "a back-channel logout URI has no fragment (Back-Channel Logout 1.0 §2.2)."
            : RedirectProblem(logout)) is { } logoutProblem)
        {
            return new OidcClientResult("backchannel_logout_uri", $"{logout}: {logoutProblem}");
        }

        if (spec.Sector is null && spec.RedirectUris.Select(u => new Uri(u).Host).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
        {
            return new OidcClientResult("sector", "The redirect URIs name more than one host: give the sector identifier their subjects belong to.");
        }

        if (spec.Scopes.FirstOrDefault(s => !OidcScopes.All.Contains(s)) is { } unknown)
        {
            return new OidcClientResult("scopes", $"Unknown scope '{unknown}'; the hub knows {string.Join(", ", OidcScopes.All)}.");
        }

        if (spec.Profile is not (OidcClientProfiles.Standard or OidcClientProfiles.Fapi2))
        {
            return new OidcClientResult("profile", $"Unknown profile '{spec.Profile}': use {OidcClientProfiles.Standard} or {OidcClientProfiles.Fapi2}.");
        }

        if (spec.Profile == OidcClientProfiles.Fapi2 && (spec.Jwks is null || spec.ClientSecret is not null))
        {
            return new OidcClientResult("profile", "A FAPI 2.0 client authenticates with private_key_jwt: register its JWKS and no client secret.");
        }

        if (spec.Contacts.FirstOrDefault(c => c.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(c, out var a) || a.Address != c) is { } contact)
        {
            return new OidcClientResult("contacts", $"'{contact}' is not an e-mail address.");
        }

        if (SigningKeys.ClientSigningAlgorithm.Problem(spec.SigningAlgorithm) is { } signingAlg)
        {
            return new OidcClientResult("signing_alg", signingAlg);
        }

        return null;
    }

    private static string? JwksProblem(string jwks)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(jwks);
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

            if (key.Kty == "RSA" && Base64UrlEncoder.DecodeBytes(key.N).Length < 256)
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
