using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Core.Keys;
using IdentityHub.Signing.Signers;

namespace IdentityHub.Signing.Tests.XadesCreation;

/// <summary>
/// A hand-written fake of the signing seam with a software key, for the key types the hub's HSM can hold but the test
/// hub's citizens do not get (RSA, P-384). It keeps the seam's contract: a digest in, r || s or PKCS#1 v1.5 out.
/// </summary>
internal sealed class SoftwareSigningKey : ISigningKey, IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    public SoftwareSigningKey(KeyAlgorithm algorithm)
    {
        Algorithm = algorithm;
        _key = algorithm.IsRsa() ? RSA.Create(algorithm.KeySizeInBits())
            : ECDsa.Create(algorithm == KeyAlgorithm.EcP384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256);
    }

    public string KeyId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public KeyAlgorithm Algorithm { get; }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _key.ExportSubjectPublicKeyInfo();

    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null) => _key switch
    {
        RSA rsa => rsa.SignHash(digest.ToArray(), hash, rsaPadding ?? throw new CryptographicException("RSA needs a padding.")),
        ECDsa ec => ec.SignHash(digest.ToArray(), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        _ => throw new CryptographicException("unknown key"),
    };

    /// <summary>A signer whose certificate is self-signed by this key (its own trust anchor).</summary>
    public SignerIdentity SelfSignedSigner()
    {
        var subject = new X500DistinguishedName("CN=XAdES unit test signer, C=EE");
        var request = _key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new CryptographicException("unknown key"),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return new SignerIdentity(this, certificate.RawData, []);
    }

    public void Dispose() => _key.Dispose();
}
