using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// The digest and signature algorithms the reader verifies (XMLDSig 1.1 §6.2 and §6.4, RFC 9231 §2.1 and §2.3 for the
/// "xmldsig-more" identifiers). SHA-1 stays readable for old signatures; whether it is still acceptable is the
/// assessor's cryptographic-constraints decision, not the reader's.
/// </summary>
internal static class XmlDsigAlgorithms
{
    public static HashAlgorithmName? Digest(string? uri) => uri switch
    {
        "http://www.w3.org/2000/09/xmldsig#sha1" => HashAlgorithmName.SHA1,
        "http://www.w3.org/2001/04/xmlenc#sha256" => HashAlgorithmName.SHA256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => HashAlgorithmName.SHA384,
        "http://www.w3.org/2001/04/xmlenc#sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static byte[] Hash(HashAlgorithmName algorithm, ReadOnlySpan<byte> data)
    {
        if (algorithm == HashAlgorithmName.SHA1)
        {
            // Verifying what an old signature signed, not choosing SHA-1: whether it is still acceptable is the assessor's call.
#pragma warning disable CA5350
            return SHA1.HashData(data);
#pragma warning restore CA5350
        }

        if (algorithm == HashAlgorithmName.SHA384)
        {
            return SHA384.HashData(data);
        }

        return algorithm == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);
    }

    /// <summary>Key type, hash and padding of a SignatureMethod, or null when the method is not supported.</summary>
    public static SignatureMethod? Signature(string? uri) => uri switch
    {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => new(KeyKind.Rsa, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => new(KeyKind.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => new(KeyKind.Rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => new(KeyKind.Rsa, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1" => new(KeyKind.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1" => new(KeyKind.Rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pss),
        "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1" => new(KeyKind.Rsa, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1" => new(KeyKind.Ecdsa, HashAlgorithmName.SHA1, null),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => new(KeyKind.Ecdsa, HashAlgorithmName.SHA256, null),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => new(KeyKind.Ecdsa, HashAlgorithmName.SHA384, null),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => new(KeyKind.Ecdsa, HashAlgorithmName.SHA512, null),
        _ => null,
    };

    internal enum KeyKind
    {
        Rsa,
        Ecdsa,
    }

    internal sealed record SignatureMethod(KeyKind Key, HashAlgorithmName Hash, RSASignaturePadding? Padding)
    {
        /// <summary>
        /// Verifies over the canonical SignedInfo. ECDSA values are r || s (XMLDSig 1.1 §6.4.3), never DER; a key of the
        /// wrong type for the method does not verify.
        /// </summary>
        public bool Verify(X509Certificate2 certificate, byte[] data, byte[] signature)
        {
            try
            {
                if (Key == KeyKind.Rsa)
                {
                    using RSA? rsa = certificate.GetRSAPublicKey();
                    return rsa is not null && rsa.VerifyData(data, signature, Hash, Padding!);
                }

                using ECDsa? ecdsa = certificate.GetECDsaPublicKey();
                return ecdsa is not null && ecdsa.VerifyData(data, signature, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }
}
