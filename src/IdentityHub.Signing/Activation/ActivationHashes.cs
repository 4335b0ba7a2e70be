using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IdentityHub.Signing.Activation;

/// <summary>
/// The hashes an activation binds, and the challenge derived from them. The challenge is SHA-256 over a
/// domain-separation label, then the key id, the nonce, the hash algorithm and each hash in order, every field
/// length-prefixed (4 bytes, big-endian), so no two different inputs give the same byte string. A passkey signing it
/// signs the hashes themselves: the assertion is the signature activation data of CEN EN 419 241-1 (SCAL2, SAD bound
/// to the data to be signed), and it is worthless for any other documents, key or activation.
/// </summary>
public static class ActivationHashes
{
    public const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    public const string Sha384Oid = "2.16.840.1.101.3.4.2.2";
    public const string Sha512Oid = "2.16.840.1.101.3.4.2.3";

    private static readonly byte[] ChallengeLabel = "IdentityHub signature activation challenge v1"u8.ToArray();
    private static readonly byte[] DigestLabel = "IdentityHub signature activation hashes v1"u8.ToArray();

    /// <summary>The hash algorithm of an OID the hub signs with, or null.</summary>
    public static HashAlgorithmName? AlgorithmOf(string? oid) => oid switch
    {
        Sha256Oid => HashAlgorithmName.SHA256,
        Sha384Oid => HashAlgorithmName.SHA384,
        Sha512Oid => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <summary>The length of a hash made with the algorithm of <paramref name="oid"/>, or 0 when unknown.</summary>
    public static int LengthOf(string? oid) => oid switch
    {
        Sha256Oid => 32,
        Sha384Oid => 48,
        Sha512Oid => 64,
        _ => 0,
    };

    public static byte[] Challenge(string keyId, ReadOnlySpan<byte> nonce, string hashAlgorithmOid, IReadOnlyList<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Field(sha, ChallengeLabel);
        Field(sha, Encoding.UTF8.GetBytes(keyId));
        Field(sha, nonce);
        Field(sha, Encoding.ASCII.GetBytes(hashAlgorithmOid));
        Count(sha, hashes.Count);
        foreach (var hash in hashes)
        {
            Field(sha, hash);
        }

        return sha.GetHashAndReset();
    }

    /// <summary>What consumption compares: SHA-256 over the label and the length-prefixed hashes in order.</summary>
    public static byte[] Digest(IReadOnlyList<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Field(sha, DigestLabel);
        Count(sha, hashes.Count);
        foreach (var hash in hashes)
        {
            Field(sha, hash ?? []);
        }

        return sha.GetHashAndReset();
    }

    private static void Field(IncrementalHash sha, ReadOnlySpan<byte> value)
    {
        Count(sha, value.Length);
        sha.AppendData(value);
    }

    private static void Count(IncrementalHash sha, int value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value);
        sha.AppendData(length);
    }
}
