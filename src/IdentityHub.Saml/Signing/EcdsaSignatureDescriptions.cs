using System.Security.Cryptography;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Signing;

/// <summary>
/// .NET registers no ECDSA <see cref="SignatureDescription"/> for SignedXml (decision 0005). These map the XML DSig
/// ECDSA URIs (RFC 6931 §2.3.6) to <see cref="ECDsa"/>, whose IEEE P1363 signature format (r ‖ s, each the curve's
/// length) is the SignatureValue format XML DSig specifies (RFC 4050 §3.3). Registered once per process.
/// </summary>
internal static class EcdsaSignatureDescriptions
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        CryptoConfig.AddAlgorithm(typeof(EcdsaSha256), SamlAlgorithms.EcdsaSha256);
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha384), SamlAlgorithms.EcdsaSha384);
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha512), SamlAlgorithms.EcdsaSha512);
    }

    internal sealed class EcdsaSha256() : EcdsaDescription(HashAlgorithmName.SHA256);

    internal sealed class EcdsaSha384() : EcdsaDescription(HashAlgorithmName.SHA384);

    internal sealed class EcdsaSha512() : EcdsaDescription(HashAlgorithmName.SHA512);

    internal abstract class EcdsaDescription : SignatureDescription
    {
        private readonly HashAlgorithmName _hash;

        protected EcdsaDescription(HashAlgorithmName hash)
        {
            _hash = hash;
            KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
            DigestAlgorithm = hash.Name;
        }

        public override HashAlgorithm CreateDigest() => _hash.Name switch
        {
            "SHA384" => SHA384.Create(),
            "SHA512" => SHA512.Create(),
            _ => SHA256.Create(),
        };

        public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new Formatter(Ecdsa(key));

        public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new Deformatter(Ecdsa(key));

        private static ECDsa Ecdsa(AsymmetricAlgorithm key) =>
            key as ECDsa ?? throw new CryptographicException("An ECDSA signature method needs an ECDSA key.");
    }

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = key as ECDsa ?? throw new CryptographicException("An ECDSA key is needed.");

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override byte[] CreateSignature(byte[] rgbHash) => _key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = key as ECDsa ?? throw new CryptographicException("An ECDSA key is needed.");

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
            _key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
