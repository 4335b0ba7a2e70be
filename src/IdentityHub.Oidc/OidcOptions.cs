namespace IdentityHub.Oidc;

/// <summary>The OpenID provider's settings (configuration section "Oidc"; docs/oidc.md).</summary>
public sealed class OidcOptions
{
    public const string SectionName = "Oidc";

    /// <summary>
    /// The issuer URL agencies pin (the "iss" of every token, and where discovery is found). Empty: the URL the request
    /// came in on, which behind a proxy is only right with ForwardedHeaders configured; production sets it.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Refuse plain http (OpenIddict makes no exception for loopback). Off only where the hub itself serves plain http on loopback: `./hub up`, the compose demo and the tests.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Authorization codes live this long (FAPI 2.0 asks for at most 60 s).</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A pushed authorization request's request_uri (RFC 9126) lives this long: long enough for the citizen to log in
    /// on its way, under FAPI 2.0's 600 seconds. It works once, when the code is issued.
    /// </summary>
    public TimeSpan PushedRequestLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A refresh token lives this long, and never longer than the hub session it came from.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Per-address limits on the token, PAR, introspection and revocation endpoints.</summary>
    public OidcRateLimitOptions RateLimits { get; set; } = new();
    /// <summary>Rotation of the token-signing keys (section "Oidc:SigningKeys", decision 0018).</summary>
    public global::IdentityHub.Oidc.SigningKeys.SigningKeyOptions SigningKeys { get; set; } = new();
    /// <summary>Delivery of back-channel logout tokens (section "Oidc:BackChannelLogout").</summary>
    public BackChannelLogout.BackChannelLogoutOptions BackChannelLogout { get; set; } = new();
}
