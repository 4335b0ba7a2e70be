using System.Security.Cryptography;
using System.Text.Json;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

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
        if (OidcClientRules.Validate(spec) is { } problem)
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
        if (OidcClientRules.Validate(after) is { } problem)
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
}
