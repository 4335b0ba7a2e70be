using System.Security.Cryptography;
using System.Text;
using IdentityHub.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Oidc.Dpop;

/// <summary>The outcome of checking a DPoP proof: the thumbprint of its key, or why it was refused.</summary>
public sealed record DpopCheck(string? Jkt, string? Problem)
{
    public bool Succeeded => Jkt is not null;

    public static DpopCheck Refused(string problem) => new(null, problem);
}

/// <summary>
/// Checks DPoP proofs (RFC 9449 §4.3) the way the RFC lists them: one DPoP header holding one JWT; typ dpop+jwt; an
/// asymmetric algorithm from the allow-list; a public key in the jwk header that verifies the signature; htm and htu
/// naming this request (htu without query or fragment, against the URL agencies are told, the issuer's); iat within a
/// short window; a jti never seen before with that key (one INSERT, so two nodes cannot both accept it); and, at a
/// resource, ath the hash of the access token presented. The key's RFC 7638 thumbprint (jkt) is what tokens are bound to.
/// </summary>
public sealed class DpopProofs(HubDbContext db, TimeProvider time)
{
    public const string HeaderName = "DPoP";
    public const string Scheme = "DPoP";
    public const string InvalidProof = "invalid_dpop_proof";

    /// <summary>The algorithms a proof may use (advertised as dpop_signing_alg_values_supported).</summary>
    public static IReadOnlyList<string> Algorithms { get; } =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.RsaSha256,
    ];

    /// <summary>How old a proof may be (by its iat); its jti is kept this long, so a replay is always caught.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead of the hub's clock a client's clock may run.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private const int MaxLength = 8192;

    /// <summary>Whether the request carries a DPoP header at all (one or more).</summary>
    public static bool IsPresent(HttpRequest request) => request?.Headers.ContainsKey(HeaderName) ?? false;

    /// <summary>Checks the proof on <paramref name="request"/> for <paramref name="target"/> (the endpoint's public URL).</summary>
    public async Task<DpopCheck> CheckAsync(HttpRequest request, Uri target, string? accessToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var headers = request.Headers[HeaderName];
        if (headers.Count != 1 || string.IsNullOrEmpty(headers[0]))
        {
            return DpopCheck.Refused("Send exactly one DPoP header.");
        }

        var proof = headers[0]!;
        if (proof.Length > MaxLength)
        {
            return DpopCheck.Refused($"The DPoP proof is longer than {MaxLength} characters.");
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(proof);
        }
        catch (ArgumentException)
        {
            return DpopCheck.Refused("The DPoP proof is not a JWT.");
        }

        if (!string.Equals(jwt.Typ, "dpop+jwt", StringComparison.Ordinal))
        {
            return DpopCheck.Refused("The DPoP proof's typ is not dpop+jwt.");
        }

        if (!Algorithms.Contains(jwt.Alg))
        {
            return DpopCheck.Refused($"The DPoP proof's alg must be one of {string.Join(", ", Algorithms)}.");
        }

        if (PublicKeyOf(jwt) is not { } key)
        {
            return DpopCheck.Refused("The DPoP proof's jwk header must hold one public EC or RSA key.");
        }

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = Algorithms,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidTypes = ["dpop+jwt"],
        });
        if (!validation.IsValid)
        {
            return DpopCheck.Refused("The DPoP proof's signature does not verify with its jwk.");
        }

        if (!jwt.TryGetPayloadValue<string>("htm", out var htm) || !string.Equals(htm, request.Method, StringComparison.Ordinal))
        {
            return DpopCheck.Refused($"The DPoP proof's htm is not {request.Method}.");
        }

        if (!jwt.TryGetPayloadValue<string>("htu", out var htu) || !SameTarget(htu, target))
        {
            return DpopCheck.Refused($"The DPoP proof's htu is not {target.GetLeftPart(UriPartial.Path)}.");
        }

        if (!jwt.TryGetPayloadValue<long>("iat", out var iat))
        {
            return DpopCheck.Refused("The DPoP proof has no iat.");
        }

        var now = time.GetUtcNow();
        var issued = DateTimeOffset.FromUnixTimeSeconds(iat);
        if (issued > now + ClockSkew || issued < now - MaxAge)
        {
            return DpopCheck.Refused($"The DPoP proof's iat is not within the last {MaxAge.TotalMinutes:0} minutes.");
        }

        if (accessToken is not null)
        {
            var expected = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
            if (!jwt.TryGetPayloadValue<string>("ath", out var ath) || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(expected)))
            {
                return DpopCheck.Refused("The DPoP proof's ath is not the hash of the access token presented.");
            }
        }

        if (!jwt.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrEmpty(jti) || jti.Length > 200)
        {
            return DpopCheck.Refused("The DPoP proof needs a jti of at most 200 characters.");
        }

        var jkt = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        // Kept until no proof with this iat could be accepted any more, then swept as new ones arrive.
        var keepUntil = (issued > now ? issued : now) + MaxAge + ClockSkew;
        await db.Database.ExecuteSqlAsync($"""DELETE FROM oidc.dpop_proofs WHERE "ExpiresAt" < {now}""", ct);
        var recorded = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO oidc.dpop_proofs ("Jkt", "Jti", "ExpiresAt") VALUES ({jkt}, {jti}, {keepUntil})
            ON CONFLICT DO NOTHING
            """, ct);
        return recorded == 0 ? DpopCheck.Refused("This DPoP proof was used before: make a new one (with a new jti) for every request.") : new DpopCheck(jkt, null);
    }

    /// <summary>The jkt an access token is bound to (its cnf claim), or null for a bearer token.</summary>
    public static string? BoundKeyOf(System.Security.Claims.ClaimsPrincipal token)
    {
        var cnf = token?.FindFirst("cnf")?.Value;
        if (string.IsNullOrEmpty(cnf))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(cnf);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("jkt", out var jkt) ? jkt.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static JsonWebKey? PublicKeyOf(JsonWebToken jwt)
    {
        if (!jwt.TryGetHeaderValue<object>("jwk", out var raw) || raw is null)
        {
            return null;
        }

        JsonWebKey key;
        try
        {
            key = new JsonWebKey(raw.ToString()!);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (key.HasPrivateKey || !string.IsNullOrEmpty(key.K) || !string.IsNullOrEmpty(key.D))
        {
            return null;
        }

        return key.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.EllipticCurve when !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y) && !string.IsNullOrEmpty(key.Crv) => key,
            JsonWebAlgorithmsKeyTypes.RSA when !string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E) && Base64UrlEncoder.DecodeBytes(key.N).Length >= 256 => key,
            _ => null,
        };
    }

    /// <summary>RFC 9449 §4.3 item 9: the htu compared without query and fragment, scheme and host case-insensitively.</summary>
    private static bool SameTarget(string htu, Uri target) =>
        Uri.TryCreate(htu, UriKind.Absolute, out var claimed)
        && string.Equals(claimed.Scheme, target.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(claimed.IdnHost, target.IdnHost, StringComparison.OrdinalIgnoreCase)
        && claimed.Port == target.Port
        && string.Equals(claimed.AbsolutePath, target.AbsolutePath, StringComparison.Ordinal);
}
