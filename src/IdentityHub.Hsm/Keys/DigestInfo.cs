using System.Security.Cryptography;

namespace IdentityHub.Hsm.Keys;

/// <summary>RFC 8017 §9.2 note 1: the DER DigestInfo prefixes that CKM_RSA_PKCS expects in front of the digest.</summary>
internal static class DigestInfo
{
    private static readonly byte[] Sha256 = Convert.FromHexString("3031300d060960864801650304020105000420");
    private static readonly byte[] Sha384 = Convert.FromHexString("3041300d060960864801650304020205000430");
    private static readonly byte[] Sha512 = Convert.FromHexString("3051300d060960864801650304020305000440");

    public static byte[] Wrap(ReadOnlySpan<byte> digest, HashAlgorithmName hash)
    {
        var prefix = hash.Name switch
        {
            "SHA256" => Sha256,
            "SHA384" => Sha384,
            "SHA512" => Sha512,
            _ => throw new CryptographicException($"RSA PKCS#1 v1.5 signing with {hash.Name} is not supported."),
        };
        return [.. prefix, .. digest];
    }
}
