using System.Buffers.Text;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm;

namespace IdentityHub.Signing.Signers;

/// <summary>
/// A citizen's qualified signature key as an <see cref="ISigningKey"/>: each signature unwraps the stored blob inside
/// the HSM, signs and destroys the unwrapped object (ARCHITECTURE.md "Keys at national scale"). Only the signing
/// service hands it out, and only after the citizen's signature activation covered what is signed (SCAL2).
/// </summary>
internal sealed class CitizenSigningKey(WrappedKeyVault vault, WrappedKey key) : ISigningKey
{
    public string KeyId { get; } = KeyIdOf(key.SubjectPublicKeyInfo);

    public KeyAlgorithm Algorithm => key.Algorithm;

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => key.SubjectPublicKeyInfo;

    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null) =>
        vault.SignDigest(key, digest, hash, rsaPadding);

    /// <summary>The key's public identifier: base64url of SHA-256 over its SubjectPublicKeyInfo (also the CSC credentialID).</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        Base64Url.EncodeToString(SHA256.HashData(subjectPublicKeyInfo));
}
