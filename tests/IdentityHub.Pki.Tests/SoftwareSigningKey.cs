using System.Security.Cryptography;
using IdentityHub.Core.Keys;

namespace IdentityHub.Pki.Tests;

/// <summary>A hand-written fake of the signing seam for fast tests of certificate building; never used where users meet the hub.</summary>
internal sealed class SoftwareSigningKey : ISigningKey, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string KeyId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public KeyAlgorithm Algorithm => KeyAlgorithm.EcP256;

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _key.ExportSubjectPublicKeyInfo();

    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null) => _key.SignHash(digest.ToArray());

    public void Dispose() => _key.Dispose();
}
