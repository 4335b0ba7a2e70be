using System.Security.Cryptography;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Validation;

/// <summary>
/// Registers ECDSA SignatureDescriptions for SignedXml (RFC 6931 §2.3.6 URIs; IEEE P1363 r‖s SignatureValue, RFC 4050
/// §3.3). Signing.EcdsaSignatureDescriptions.Register() cannot do it: CryptoConfig.AddAlgorithm refuses types not
/// visible outside their assembly (ArgumentException), and its description types are internal. These are public for
/// that reason alone. Registration is idempotent and process-wide.
/// </summary>
internal static class EcdsaXmlDsig
{
    private static readonly Lazy<bool> Registration = new(() =>
    {
        CryptoConfig.AddAlgorithm(typeof(XmlDsigEcdsaSha256Description), SamlAlgorithms.EcdsaSha256);
        CryptoConfig.AddAlgorithm(typeof(XmlDsigEcdsaSha384Description), SamlAlgorithms.EcdsaSha384);
        CryptoConfig.AddAlgorithm(typeof(XmlDsigEcdsaSha512Description), SamlAlgorithms.EcdsaSha512);
        return true;
    });

    public static void Register() => _ = Registration.Value;
}

/// <summary>ecdsa-sha256 for SignedXml (public only because CryptoConfig requires it; see <see cref="EcdsaXmlDsig"/>).</summary>
public sealed class XmlDsigEcdsaSha256Description() : XmlDsigEcdsaDescription(HashAlgorithmName.SHA256);

/// <summary>ecdsa-sha384 for SignedXml.</summary>
public sealed class XmlDsigEcdsaSha384Description() : XmlDsigEcdsaDescription(HashAlgorithmName.SHA384);

/// <summary>ecdsa-sha512 for SignedXml.</summary>
public sealed class XmlDsigEcdsaSha512Description() : XmlDsigEcdsaDescription(HashAlgorithmName.SHA512);

/// <summary>An ECDSA SignatureDescription whose signatures are IEEE P1363 r‖s, the XML DSig SignatureValue format.</summary>
public abstract class XmlDsigEcdsaDescription : SignatureDescription
{
    private readonly HashAlgorithmName _hash;

    protected XmlDsigEcdsaDescription(HashAlgorithmName hash)
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

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new P1363Formatter(AsEcdsa(key));

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new P1363Deformatter(AsEcdsa(key));

    private static ECDsa AsEcdsa(AsymmetricAlgorithm key) =>
        key as ECDsa ?? throw new CryptographicException("An ECDSA signature method needs an ECDSA key.");

    private sealed class P1363Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = AsEcdsa(key);

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override byte[] CreateSignature(byte[] rgbHash) => _key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class P1363Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = AsEcdsa(key);

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
            _key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
