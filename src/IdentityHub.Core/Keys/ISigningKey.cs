using System.Security.Cryptography;

namespace IdentityHub.Core.Keys;

/// <summary>
/// The one seam every signature in the hub goes through: a handle to a private key that
/// signs a digest it is given. The private key itself never crosses this seam.
/// </summary>
public interface ISigningKey
{
    /// <summary>Stable identifier of the key (hex of the PKCS#11 CKA_ID for HSM keys).</summary>
    string KeyId { get; }

    KeyAlgorithm Algorithm { get; }

    /// <summary>DER-encoded SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).</summary>
    ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    /// <summary>
    /// Signs a digest that the caller has already computed with <paramref name="hash"/>.
    /// ECDSA keys return the IEEE P1363 form (r || s, each the size of the field);
    /// RSA keys return the raw signature with the requested padding (PKCS#1 v1.5 builds the DigestInfo here).
    /// </summary>
    byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null);
}
