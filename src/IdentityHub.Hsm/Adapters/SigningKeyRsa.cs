using System.Security.Cryptography;
using IdentityHub.Core.Keys;

namespace IdentityHub.Hsm.Adapters;

/// <summary>An <see cref="RSA"/> whose private operations happen behind <see cref="ISigningKey"/>: SignedXml, SignedCms and
/// CopyWithPrivateKey use it unchanged. Private parameters cannot be exported; there are none here.</summary>
internal sealed class SigningKeyRsa : RSA
{
    private readonly ISigningKey _key;
    private readonly RSA _public;

    public SigningKeyRsa(ISigningKey key)
    {
        _key = key;
        _public = Create();
        _public.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span, out _);
        KeySizeValue = _public.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    public override RSAParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters
            ? throw new CryptographicException("The private key is inside the HSM and cannot be exported.")
            : _public.ExportParameters(false);

    public override void ImportParameters(RSAParameters parameters) =>
        throw new NotSupportedException("An HSM-backed key cannot import parameters.");

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        _key.SignDigest(hash, hashAlgorithm, padding);

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        _public.VerifyHash(hash, signature, hashAlgorithm, padding);

    public override byte[] Encrypt(byte[] data, RSAEncryptionPadding padding) => _public.Encrypt(data, padding);

    public override byte[] Decrypt(byte[] data, RSAEncryptionPadding padding) =>
        throw new CryptographicException("HSM signing keys do not decrypt.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _public.Dispose();
        }

        base.Dispose(disposing);
    }
}
