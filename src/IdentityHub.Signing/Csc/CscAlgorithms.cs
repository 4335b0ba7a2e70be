using System.Formats.Asn1;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Signing.Activation;

namespace IdentityHub.Signing.Csc;

/// <summary>
/// The signature algorithms (signAlgo, CSC §11.9) a citizen's key offers, and the signature values signHash returns:
/// for ECDSA the DER Ecdsa-Sig-Value of RFC 3279 §2.2.3 (what CMS and XAdES embed), for RSA the PKCS#1 v1.5 value.
/// </summary>
internal static class CscAlgorithms
{
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";

    public static IReadOnlyList<string> Offered(KeyAlgorithm key) => key.IsRsa()
        ? [Sha256WithRsa, Sha384WithRsa, Sha512WithRsa, RsaEncryption]
        : [EcdsaWithSha256, EcdsaWithSha384, EcdsaWithSha512, EcPublicKey];

    public static string? CurveOf(KeyAlgorithm key) => key switch
    {
        KeyAlgorithm.EcP256 => "1.2.840.10045.3.1.7",
        KeyAlgorithm.EcP384 => "1.3.132.0.34",
        _ => null,
    };

    /// <summary>
    /// Whether signAlgo fits the key and the hashes: a combined OID (ecdsa-with-SHA256 …) names its hash, which must be
    /// hashAlgorithmOID's; the bare key OID (ecPublicKey, rsaEncryption) takes the hash from hashAlgorithmOID.
    /// </summary>
    public static bool Fits(string? signAlgo, string hashAlgorithmOid, KeyAlgorithm key) => signAlgo switch
    {
        EcPublicKey => !key.IsRsa(),
        RsaEncryption => key.IsRsa(),
        EcdsaWithSha256 => !key.IsRsa() && hashAlgorithmOid == ActivationHashes.Sha256Oid,
        EcdsaWithSha384 => !key.IsRsa() && hashAlgorithmOid == ActivationHashes.Sha384Oid,
        EcdsaWithSha512 => !key.IsRsa() && hashAlgorithmOid == ActivationHashes.Sha512Oid,
        Sha256WithRsa => key.IsRsa() && hashAlgorithmOid == ActivationHashes.Sha256Oid,
        Sha384WithRsa => key.IsRsa() && hashAlgorithmOid == ActivationHashes.Sha384Oid,
        Sha512WithRsa => key.IsRsa() && hashAlgorithmOid == ActivationHashes.Sha512Oid,
        _ => false,
    };

    public static byte[] Sign(ISigningKey key, byte[] hash, HashAlgorithmName algorithm)
    {
        if (key.Algorithm.IsRsa())
        {
            return key.SignDigest(hash, algorithm, RSASignaturePadding.Pkcs1);
        }

        var p1363 = key.SignDigest(hash, algorithm);
        return EcdsaSigValue(p1363);
    }

    /// <summary>r || s (IEEE P1363) as the DER SEQUENCE { r INTEGER, s INTEGER } of RFC 3279 §2.2.3.</summary>
    public static byte[] EcdsaSigValue(ReadOnlySpan<byte> p1363)
    {
        var half = p1363.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // DER INTEGERs are minimal (X.690 §8.3.2): r or s below 2^(8·(n-1)) arrive with leading zero bytes in P1363's
            // fixed width (about 1 signature in 128), which AsnWriter refuses; they are dropped here.
            writer.WriteIntegerUnsigned(Minimal(p1363[..half]));
            writer.WriteIntegerUnsigned(Minimal(p1363[half..]));
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
