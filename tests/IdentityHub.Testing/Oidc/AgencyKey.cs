using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Testing.Oidc;

/// <summary>
/// An agency's P-256 key as an RP holds it, written from RFC 7523 (private_key_jwt client assertions) and RFC 9449
/// (DPoP proofs): the tests make both by hand so each can be made wrong in exactly one way.
/// </summary>
public sealed class AgencyKey : IDisposable
{
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string KeyId { get; } = "agency-" + Guid.NewGuid().ToString("N")[..6];

    public JsonObject PublicJwk
    {
        get
        {
            var p = key.ExportParameters(includePrivateParameters: false);
            return new JsonObject
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
            };
        }
    }

    /// <summary>The private key as a JWK with its kid, for a relying party that signs with it (openid-client's privateJwk).</summary>
    public JsonObject PrivateJwk
    {
        get
        {
            var jwk = PublicJwk;
            jwk["kid"] = KeyId;
            jwk["d"] = Base64UrlEncoder.Encode(key.ExportParameters(includePrivateParameters: true).D);
            return jwk;
        }
    }

    public string Jwks
    {
        get
        {
            var jwk = PublicJwk;
            jwk["kid"] = KeyId;
            return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
        }
    }

    /// <summary>RFC 7638 thumbprint of the public key.</summary>
    public string Thumbprint
    {
        get
        {
            var p = key.ExportParameters(includePrivateParameters: false);
            var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64UrlEncoder.Encode(p.Q.X)}\",\"y\":\"{Base64UrlEncoder.Encode(p.Q.Y)}\"}}";
            return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
    }

    public string Assertion(string clientId, string audience, string? jti = null, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = jti ?? Guid.NewGuid().ToString("N") },
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(1)).AddMinutes(-1),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(1)).AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(1),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = KeyId }, SecurityAlgorithms.EcdsaSha256),
        });

    /// <summary>A DPoP proof for <paramref name="method"/> <paramref name="url"/>; <paramref name="jwkOf"/> names another key in the header.</summary>
    public string Proof(string method, string url, string? accessToken = null, string? jti = null, DateTimeOffset? iat = null, AgencyKey? jwkOf = null, string typ = "dpop+jwt")
    {
        var claims = new Dictionary<string, object>
        {
            ["htm"] = method,
            ["htu"] = url,
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
            ["iat"] = (iat ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            TokenType = typ,
            AdditionalHeaderClaims = new Dictionary<string, object> { ["jwk"] = JsonDocumentOf((jwkOf ?? this).PublicJwk) },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static Dictionary<string, object> JsonDocumentOf(JsonObject jwk) =>
        jwk.ToDictionary(p => p.Key, p => (object)p.Value!.GetValue<string>());

    public void Dispose() => key.Dispose();
}
