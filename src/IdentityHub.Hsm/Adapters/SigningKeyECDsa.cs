using System.Security.Cryptography;
using IdentityHub.Core.Keys;

namespace IdentityHub.Hsm.Adapters;

/// <summary>An <see cref="ECDsa"/> whose signatures are made behind <see cref="ISigningKey"/>.</summary>
internal sealed class SigningKeyECDsa : ECDsa
{
    private readonly ISigningKey _key;
    private readonly ECDsa _public;

    public SigningKeyECDsa(ISigningKey key)
    {
        _key = key;
        _public = Create();
        _public.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span, out _);
        KeySizeValue = _public.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>ECDsa hands over only the digest; its length names the hash (ECDSA itself does not depend on it).</summary>
    public override byte[] SignHash(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var name = hash.Length switch
        {
            32 => HashAlgorithmName.SHA256,
            48 => HashAlgorithmName.SHA384,
            64 => HashAlgorithmName.SHA512,
            _ => throw new CryptographicException($"A {hash.Length}-byte digest is not SHA-256, SHA-384 or SHA-512."),
        };
        return _key.SignDigest(hash, name);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature) => _public.VerifyHash(hash, signature);

    public override ECParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters
            ? throw new CryptographicException("The private key is inside the HSM and cannot be exported.")
            : _public.ExportParameters(false);

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) =>
        includePrivateParameters
            ? throw new CryptographicException("The private key is inside the HSM and cannot be exported.")
            : _public.ExportExplicitParameters(false);

    public override void ImportParameters(ECParameters parameters) =>
        throw new NotSupportedException("An HSM-backed key cannot import parameters.");

    public override void GenerateKey(ECCurve curve) =>
        throw new NotSupportedException("Keys are generated in the HSM through IKeyStore.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _public.Dispose();
        }

        base.Dispose(disposing);
    }
}
