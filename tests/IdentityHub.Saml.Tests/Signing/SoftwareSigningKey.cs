using System.Security.Cryptography;
using IdentityHub.Core.Keys;

namespace IdentityHub.Saml.Tests.Signing;

/// <summary>
/// A hand-written ISigningKey over a software key: the seam the HSM token implements (decision 0005), so the hub's real
/// RSA/ECDsa adapters (SigningKeyAdapters) can be put in front of it exactly as in production.
/// </summary>
internal sealed class SoftwareSigningKey(AsymmetricAlgorithm key, KeyAlgorithm algorithm) : ISigningKey
{
    public int Signatures { get; private set; }

    public string KeyId => "5341 4d4c";

    public KeyAlgorithm Algorithm => algorithm;

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => key.ExportSubjectPublicKeyInfo();

    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null)
    {
        Signatures++;
        return key switch
        {
            RSA rsa => rsa.SignHash(digest.ToArray(), hash, rsaPadding ?? RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => ecdsa.SignHash(digest.ToArray(), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new CryptographicException("Not a signing key."),
        };
    }
}
