using System.Security.Cryptography;
using IdentityHub.Core.Keys;

namespace IdentityHub.Signing.Xades;

/// <summary>
/// The ds:SignatureMethod for a key and how its ds:SignatureValue is made: through <see cref="ISigningKey.SignDigest"/>
/// only, so the private key stays in the HSM. ECDSA values are r || s (RFC 6931 §2.3.6), which SignDigest returns;
/// RSA values are RSASSA-PKCS1-v1_5 (RFC 6931 §2.3.2).
/// </summary>
internal sealed record XmlSignatureMethod(string Algorithm, HashAlgorithmName Hash, RSASignaturePadding? Padding)
{
    public static XmlSignatureMethod For(KeyAlgorithm key) => key switch
    {
        KeyAlgorithm.EcP256 => new(XadesNames.EcdsaSha256, HashAlgorithmName.SHA256, null),
        KeyAlgorithm.EcP384 => new(XadesNames.EcdsaSha384, HashAlgorithmName.SHA384, null),
        KeyAlgorithm.Rsa4096 => new(XadesNames.RsaSha384, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 => new(XadesNames.RsaSha256, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new CryptographicException($"No XML signature method for {key}."),
    };

    public byte[] Sign(ISigningKey key, ReadOnlySpan<byte> canonicalSignedInfo) =>
        key.SignDigest(ExclusiveCanonicalizer.Hash(canonicalSignedInfo, Hash), Hash, Padding);
}
