using System.Security.Cryptography;
using IdentityHub.Pki;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;

namespace IdentityHub.Signing.TimeStamps;

/// <summary>
/// The hub's own RFC 3161 TSA, called in process: the same code and key that answer POST /pki/tsa, without a network
/// hop. Each request carries a random nonce and certReq, and the answer is checked against it (RFC 3161 §2.4.2).
/// </summary>
internal sealed class HubTimeStampSource(TimeStampAuthority tsa) : ITimeStampSource
{
    public async Task<byte[]> TimeStampAsync(byte[] digest, HashAlgorithmName hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var oid = hash.Name switch
        {
            "SHA256" => NistObjectIdentifiers.IdSha256.Id,
            "SHA384" => NistObjectIdentifiers.IdSha384.Id,
            "SHA512" => NistObjectIdentifiers.IdSha512.Id,
            _ => throw new CryptographicException($"Time-stamps over {hash.Name} digests are not supported."),
        };
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        var request = generator.Generate(oid, digest, new BigInteger(1, RandomNumberGenerator.GetBytes(16)));
        var response = new TimeStampResponse(await tsa.RespondAsync(request.GetEncoded(), cancellationToken));
        try
        {
            // Checks status granted, the imprint, the nonce and that the token carries the TSA certificate.
            response.Validate(request);
        }
        catch (TspException ex)
        {
            throw new TimeStampUnavailableException($"The time-stamp authority refused the request: {response.GetStatusString() ?? ex.Message}", ex);
        }

        return response.TimeStampToken?.GetEncoded()
            ?? throw new TimeStampUnavailableException($"The time-stamp authority returned no token: {response.GetStatusString()}");
    }
}

/// <summary>A time-stamp could not be obtained; the signature that needed it is not produced.</summary>
public sealed class TimeStampUnavailableException : Exception
{
    public TimeStampUnavailableException()
    {
    }

    public TimeStampUnavailableException(string message)
        : base(message)
    {
    }

    public TimeStampUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
