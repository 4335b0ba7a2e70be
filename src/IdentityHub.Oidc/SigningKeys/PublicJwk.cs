using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>The public half of an HSM key as a JSON Web Key (RFC 7517/7518 §6), and its thumbprint as kid (RFC 7638).</summary>
internal static class PublicJwk
{
    /// <summary>
    /// The JWK of a key, with kid, "use": "sig" and, for EC, "alg": "ES256". The RSA key signs PS256 and RS256 alike, so
    /// its JWK names no alg (RFC 7517 §4.4: optional): a relying party takes the algorithm from the token's header.
    /// </summary>
    public static JsonWebKey Of(ReadOnlySpan<byte> subjectPublicKeyInfo, KeyAlgorithm algorithm, string? kid = null)
    {
        JsonWebKey jwk;
        if (algorithm.IsRsa())
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            jwk = new JsonWebKey
            {
                Kty = JsonWebAlgorithmsKeyTypes.RSA,
                N = Base64UrlEncoder.Encode(parameters.Modulus),
                E = Base64UrlEncoder.Encode(parameters.Exponent),
            };
        }
        else if (algorithm == KeyAlgorithm.EcP256)
        {
            using var ec = ECDsa.Create();
            ec.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            var q = ec.ExportParameters(includePrivateParameters: false).Q;
            jwk = new JsonWebKey
            {
                Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
                Crv = JsonWebKeyECTypes.P256,
                X = Base64UrlEncoder.Encode(q.X),
                Y = Base64UrlEncoder.Encode(q.Y),
                Alg = OidcSigningAlgorithms.ES256,
            };
        }
        else
        {
            throw new CryptographicException($"An OpenID signing key is P-256 or RSA, not {algorithm.ToConfigName()}.");
        }

        jwk.Use = JsonWebKeyUseNames.Sig;
        jwk.Kid = kid ?? Thumbprint(jwk);
        return jwk;
    }

    /// <summary>base64url(SHA-256) of the key's required members in lexicographic order (RFC 7638 §3).</summary>
    public static string Thumbprint(JsonWebKey jwk) => Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
}
