using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;

namespace IdentityHub.Signing.Validation.Cades;

/// <summary>
/// Verifies a SignerInfo's signature value (RFC 5652 §5.6) with the signer's public key. RFC 5652 lets the
/// signatureAlgorithm name only the key type (rsaEncryption, id-ecPublicKey), in which case the digest comes from
/// digestAlgorithm; otherwise the identifier is complete (sha256WithRSAEncryption, ecdsa-with-SHA256, RSASSA-PSS with
/// its parameters, BSI plain ECDSA).
/// </summary>
internal static class CmsSignatureVerifier
{
    public static bool Verify(AlgorithmIdentifier digestAlgorithm, AlgorithmIdentifier signatureAlgorithm, AsymmetricKeyParameter publicKey, byte[] signedBytes, byte[] signature)
    {
        try
        {
            var factory = VerifierFactory(digestAlgorithm, signatureAlgorithm, publicKey);
            var calculator = factory.CreateCalculator();
            using (var stream = calculator.Stream)
            {
                stream.Write(signedBytes, 0, signedBytes.Length);
            }

            return calculator.GetResult().IsVerified(signature);
        }
        catch (Exception ex) when (ex is SecurityUtilityException or InvalidKeyException or ArgumentException or InvalidCastException or CryptoException)
        {
            return false; // an algorithm the key cannot do, or a malformed value: the signature does not verify
        }
    }

    public static string Name(AlgorithmIdentifier digestAlgorithm, AlgorithmIdentifier signatureAlgorithm)
    {
        var oid = signatureAlgorithm.Algorithm;
        var digest = DigestUtilities.GetAlgorithmName(digestAlgorithm.Algorithm) ?? digestAlgorithm.Algorithm.Id;
        if (oid.Equals(PkcsObjectIdentifiers.RsaEncryption))
        {
            return digest + "withRSA";
        }

        return oid.Equals(X9ObjectIdentifiers.IdECPublicKey) ? digest + "withECDSA" : SignerUtilities.GetEncodingName(oid) ?? oid.Id;
    }

    private static Asn1VerifierFactory VerifierFactory(AlgorithmIdentifier digestAlgorithm, AlgorithmIdentifier signatureAlgorithm, AsymmetricKeyParameter publicKey)
    {
        var oid = signatureAlgorithm.Algorithm;
        if (oid.Equals(PkcsObjectIdentifiers.RsaEncryption) || oid.Equals(X9ObjectIdentifiers.IdECPublicKey))
        {
            return new Asn1VerifierFactory(Name(digestAlgorithm, signatureAlgorithm), publicKey);
        }

        return new Asn1VerifierFactory(signatureAlgorithm, publicKey);
    }
}
