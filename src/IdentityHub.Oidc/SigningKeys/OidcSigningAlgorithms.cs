using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>
/// The JWS algorithms (RFC 7518 §3.1) the hub signs ID tokens with, chosen per client. ES256 is the default and signs
/// every access token; PS256 and RS256 are for agencies whose libraries lack ECDSA (RS256 is what OpenID Connect Core
/// §15.1 requires every relying party to support).
/// </summary>
public static class OidcSigningAlgorithms
{
    public const string ES256 = SecurityAlgorithms.EcdsaSha256;

    public const string PS256 = SecurityAlgorithms.RsaSsaPssSha256;

    public const string RS256 = SecurityAlgorithms.RsaSha256;

    public const string Default = ES256;

    /// <summary>In the order discovery lists them (id_token_signing_alg_values_supported).</summary>
    public static IReadOnlyList<string> All { get; } = [ES256, PS256, RS256];

    public static bool IsRsa(string algorithm) => algorithm is PS256 or RS256;
}
