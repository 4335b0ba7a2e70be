using System.Security.Cryptography;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Encryption;

/// <summary>
/// The block encryption of an EncryptedData's content with a fresh content-encryption key. EncryptedXml offers no GCM,
/// so both modes are written here on AesGcm and Aes, in the CipherValue layouts the XML Encryption specs define.
/// </summary>
internal static class ContentCipher
{
    private const int GcmNonceBytes = 12;
    private const int GcmTagBytes = 16;
    private const int CbcIvBytes = 16;

    public static int KeyBytesFor(string dataAlgorithm) => dataAlgorithm switch
    {
        SamlAlgorithms.Aes256Gcm or SamlAlgorithms.Aes256Cbc => 32,
        SamlAlgorithms.Aes128Gcm or SamlAlgorithms.Aes128Cbc => 16,
        _ => throw new ArgumentException($"'{dataAlgorithm}' is not a content encryption algorithm the hub writes.", nameof(dataAlgorithm)),
    };

    public static byte[] Encrypt(string dataAlgorithm, byte[] key, byte[] plaintext) => dataAlgorithm switch
    {
        SamlAlgorithms.Aes256Gcm or SamlAlgorithms.Aes128Gcm => EncryptGcm(key, plaintext),
        SamlAlgorithms.Aes256Cbc or SamlAlgorithms.Aes128Cbc => EncryptCbc(key, plaintext),
        _ => throw new ArgumentException($"'{dataAlgorithm}' is not a content encryption algorithm the hub writes.", nameof(dataAlgorithm)),
    };

    /// <summary>xmlenc-core1 §5.2.4: CipherValue = 96-bit IV ‖ ciphertext ‖ 128-bit tag, no additional authenticated data.</summary>
    private static byte[] EncryptGcm(byte[] key, byte[] plaintext)
    {
        var output = new byte[GcmNonceBytes + plaintext.Length + GcmTagBytes];
        var nonce = output.AsSpan(0, GcmNonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, GcmTagBytes);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(GcmNonceBytes, plaintext.Length), output.AsSpan(GcmNonceBytes + plaintext.Length));
        return output;
    }

    /// <summary>
    /// xmlenc-core §5.2.1–§5.2.2: CipherValue = IV ‖ ciphertext. The padding there is ISO 10126 (random filler, last byte the
    /// count), which a decryptor reads only by its last byte, so PKCS#7 padding is one valid instance of it.
    /// </summary>
    private static byte[] EncryptCbc(byte[] key, byte[] plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var iv = RandomNumberGenerator.GetBytes(CbcIvBytes);
        var ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        return [.. iv, .. ciphertext];
    }
}
