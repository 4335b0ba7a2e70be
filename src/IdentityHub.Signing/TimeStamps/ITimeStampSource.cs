using System.Security.Cryptography;

namespace IdentityHub.Signing.TimeStamps;

/// <summary>Where signature and document time-stamps come from (RFC 3161): the hub's own TSA, or one an operator configures.</summary>
public interface ITimeStampSource
{
    /// <summary>
    /// A time-stamp token (the DER ContentInfo of RFC 3161 §2.4.2, as it goes into a signature-time-stamp attribute or
    /// a PDF document time-stamp) over <paramref name="digest"/>, computed with <paramref name="hash"/>. The token was
    /// checked against the request (imprint, nonce, certReq) before it is returned.
    /// </summary>
    Task<byte[]> TimeStampAsync(byte[] digest, HashAlgorithmName hash, CancellationToken cancellationToken);
}
