using System.Security.Cryptography;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Signing;

/// <summary>
/// Registers ECDSA SignatureDescriptions for SignedXml under the XML DSig URIs (RFC 6931 §2.3.6). CryptoConfig.AddAlgorithm
/// accepts only types visible outside their assembly (it throws ArgumentException for internal ones), so the three
/// descriptions here are public; everything they use stays internal. Signing and verification both register here.
/// </summary>
internal static class XmlDsigEcdsa
{
    // The type initializer runs once, and every other thread waits until it has finished, so no caller can reach
    // SignedXml before all three URIs are registered.
#pragma warning disable CA1810 // The registration is the point of the type initializer; there is no field to initialise inline.
    static XmlDsigEcdsa()
#pragma warning restore CA1810
    {
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha256XmlDsigDescription), SamlAlgorithms.EcdsaSha256);
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha384XmlDsigDescription), SamlAlgorithms.EcdsaSha384);
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha512XmlDsigDescription), SamlAlgorithms.EcdsaSha512);
    }

    /// <summary>Makes sure the registration has happened (it happens on first use of this class).</summary>
    public static void Register()
    {
    }
}

/// <summary>ecdsa-sha256 for SignedXml; public only because CryptoConfig requires it (see <see cref="XmlDsigEcdsa"/>).</summary>
public sealed class EcdsaSha256XmlDsigDescription : SignatureDescription
{
    public EcdsaSha256XmlDsigDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = HashAlgorithmName.SHA256.Name;
    }

    public override HashAlgorithm CreateDigest() => SHA256.Create();

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new P1363EcdsaFormatter(key);

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new P1363EcdsaDeformatter(key);
}

/// <summary>ecdsa-sha384 for SignedXml; public only because CryptoConfig requires it.</summary>
public sealed class EcdsaSha384XmlDsigDescription : SignatureDescription
{
    public EcdsaSha384XmlDsigDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = HashAlgorithmName.SHA384.Name;
    }

    public override HashAlgorithm CreateDigest() => SHA384.Create();

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new P1363EcdsaFormatter(key);

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new P1363EcdsaDeformatter(key);
}

/// <summary>ecdsa-sha512 for SignedXml; public only because CryptoConfig requires it.</summary>
public sealed class EcdsaSha512XmlDsigDescription : SignatureDescription
{
    public EcdsaSha512XmlDsigDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = HashAlgorithmName.SHA512.Name;
    }

    public override HashAlgorithm CreateDigest() => SHA512.Create();

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new P1363EcdsaFormatter(key);

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new P1363EcdsaDeformatter(key);
}

/// <summary>RFC 4050 §3.3: the XML DSig ECDSA SignatureValue is r ‖ s, each the curve's length (IEEE P1363).</summary>
internal sealed class P1363EcdsaFormatter(AsymmetricAlgorithm key) : AsymmetricSignatureFormatter
{
    private ECDsa _key = AsEcdsa(key);

    public override void SetKey(AsymmetricAlgorithm key) => _key = AsEcdsa(key);

    public override void SetHashAlgorithm(string strName)
    {
    }

    public override byte[] CreateSignature(byte[] rgbHash) => _key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    internal static ECDsa AsEcdsa(AsymmetricAlgorithm key) =>
        key as ECDsa ?? throw new CryptographicException("An ECDSA signature method needs an ECDSA key.");
}

internal sealed class P1363EcdsaDeformatter(AsymmetricAlgorithm key) : AsymmetricSignatureDeformatter
{
    private ECDsa _key = P1363EcdsaFormatter.AsEcdsa(key);

    public override void SetKey(AsymmetricAlgorithm key) => _key = P1363EcdsaFormatter.AsEcdsa(key);

    public override void SetHashAlgorithm(string strName)
    {
    }

    public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
        _key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
