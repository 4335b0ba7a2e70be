using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>
/// Makes logout tokens (Back-Channel Logout 1.0 §2.4): a JWT with typ "logout+jwt", signed with the current key of the
/// OpenID signing key set (decision 0018) in the algorithm the client's ID tokens use, so the client verifies it as it
/// verifies its ID tokens, against the JWKS. Claims: iss, aud (the client id), iat, exp (short), jti (unique), sid (the hub
/// session, as in the ID token), sub (that client's pairwise subject) and events with the back-channel logout event;
/// never a nonce (§2.4: it is forbidden, so a logout token cannot pass for an ID token).
/// </summary>
internal sealed class LogoutTokens(IOptionsMonitor<OpenIddictServerOptions> server, IOptionsMonitor<OidcOptions> oidc, SigningKeys.SigningKeySet keys, TimeProvider time)
{
    public const string TokenType = "logout+jwt";
    public const string BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The issuer tokens carry: OpenIddict's (Oidc:Issuer); a hub without one cannot say who it is outside a request.</summary>
    public string? Issuer => server.CurrentValue.Issuer?.AbsoluteUri ?? (string.IsNullOrEmpty(oidc.CurrentValue.Issuer) ? null : oidc.CurrentValue.Issuer);

    public async Task<string> CreateAsync(string clientId, string algorithm, string subject, Guid sessionId, CancellationToken ct)
    {
        var issuer = Issuer ?? throw new InvalidOperationException("Oidc:Issuer is not set: a logout token needs the issuer, and a background delivery has no request to take it from.");
        var credentials = (await keys.GetAsync(ct)).CredentialsFor(algorithm);
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = issuer,
            Audience = clientId,
            IssuedAt = now,
            Expires = now + oidc.CurrentValue.BackChannelLogout.TokenLifetime,
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                [JwtRegisteredClaimNames.Sub] = subject,
                ["sid"] = sessionId.ToString(),
                ["events"] = new Dictionary<string, object>(StringComparer.Ordinal) { [BackChannelLogoutEvent] = new Dictionary<string, object>() },
            },
        });
    }
}
