using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgencyPortal;

/// <summary>
/// private_key_jwt (RFC 7523 §2.2, OpenID Connect Core §9): a JWT signed with the client's key replaces a shared secret
/// at the token endpoint. iss and sub are the client id, aud the hub's issuer, and every assertion has a new jti.
/// </summary>
public sealed class ClientAssertions : IDisposable
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly ECDsa _key;
    private readonly SigningCredentials _credentials;
    private readonly string _clientId;
    private readonly TimeProvider _time;

    public ClientAssertions(IOptions<HubSettings> settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _clientId = settings.Value.ClientId;
        _time = time;
        _key = ECDsa.Create();
        _key.ImportFromPem(File.ReadAllText(settings.Value.ClientKeyFile));
        _credentials = new SigningCredentials(new ECDsaSecurityKey(_key) { KeyId = KeyIdOf(_key) }, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>An assertion for the token endpoint of the hub whose issuer is <paramref name="audience"/>.</summary>
    public string Create(string audience)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _clientId,
            Audience = audience,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = _clientId,
                [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(1),
            SigningCredentials = _credentials,
        });
    }

    /// <summary>The JWKS holding the public half of <paramref name="key"/>: what the agency gives the hub's operator.</summary>
    public static string PublicJwks(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        var jwk = new JsonObject
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = KeyIdOf(key),
            ["x"] = Base64UrlEncoder.Encode(q.X), ["y"] = Base64UrlEncoder.Encode(q.Y),
        };
        return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
    }

    /// <summary>The key's JWK thumbprint (RFC 7638): the same kid in the JWKS and in every assertion's header.</summary>
    private static string KeyIdOf(ECDsa key) =>
        Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(key)).ComputeJwkThumbprint());

    public void Dispose() => _key.Dispose();
}
