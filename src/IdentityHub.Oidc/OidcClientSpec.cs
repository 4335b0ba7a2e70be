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
