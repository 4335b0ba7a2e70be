using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm.Adapters;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace IdentityHub.Hsm;

/// <summary>Views of one <see cref="ISigningKey"/> for the APIs that sign: .NET's RSA/ECDsa and BouncyCastle's ISignatureFactory.</summary>
public static class SigningKeyAdapters
{
    /// <summary>An <see cref="RSA"/> for SignedXml, SignedCms, CertificateRequest and CopyWithPrivateKey.</summary>
    public static RSA AsRsa(this ISigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Algorithm.IsRsa() ? new SigningKeyRsa(key) : throw new CryptographicException($"Key {key.KeyId} is {key.Algorithm}, not RSA.");
    }

    /// <summary>An <see cref="ECDsa"/> for the same APIs.</summary>
    public static ECDsa AsECDsa(this ISigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return !key.Algorithm.IsRsa() ? new SigningKeyECDsa(key) : throw new CryptographicException($"Key {key.KeyId} is {key.Algorithm}, not EC.");
    }

    /// <summary>The RSA or ECDsa view, whichever the key is.</summary>
    public static AsymmetricAlgorithm AsAsymmetricAlgorithm(this ISigningKey key) =>
        key.Algorithm.IsRsa() ? key.AsRsa() : key.AsECDsa();

    /// <summary>A BouncyCastle <see cref="ISignatureFactory"/>; the hash defaults to the one matching the key's strength.</summary>
    public static ISignatureFactory ToSignatureFactory(this ISigningKey key, HashAlgorithmName? hash = null, bool rsaPss = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new SigningKeySignatureFactory(key, hash ?? key.Algorithm.DefaultHash(), rsaPss);
    }

    /// <summary>The public key as a BouncyCastle parameter.</summary>
    public static AsymmetricKeyParameter PublicKeyParameter(this ISigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return PublicKeyFactory.CreateKey(key.SubjectPublicKeyInfo.ToArray());
    }
}
