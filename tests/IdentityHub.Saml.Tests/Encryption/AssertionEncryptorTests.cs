using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Encryption;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Tests.Responses;
using IdentityHub.Saml.Tests.Signing;

namespace IdentityHub.Saml.Tests.Encryption;

/// <summary>saml-core §2.3.4 EncryptedAssertion, decrypted by xmlsec1 where it can, and by hand from the spec otherwise.</summary>
public sealed class AssertionEncryptorTests : IDisposable
{
    private const string AssertionXPath = "/*[local-name()='Response']/*[local-name()='EncryptedAssertion']/*[local-name()='Assertion']";

    private readonly TestKey _idp = TestKey.Rsa("IdentityHub SAML signing (test)");
    private readonly TestKey _sp = TestKey.Rsa("Benefits agency SP encryption (test)");
    private readonly TempDirectory _files = new();

    public void Dispose()
    {
        _idp.Dispose();
        _sp.Dispose();
        _files.Dispose();
    }

    [Theory]
    [InlineData(SamlAlgorithms.Aes256Gcm)]
    [InlineData(SamlAlgorithms.Aes256Cbc)]
    public void Xmlsec1_decrypts_the_assertion_with_the_SP_key_and_the_decrypted_assertion_still_verifies(string dataAlgorithm)
    {
        var (idpCertificate, _) = _idp.WritePem(_files.Path, "idp");
        var (_, spKey) = _sp.WritePem(_files.Path, "sp");
        var document = SignedDocuments.SignedResponse(_idp, signResponse: false);
        AssertionEncryptor.Encrypt(ResponseBuilder.AssertionOf(document), _sp.Certificate, dataAlgorithm, SamlAlgorithms.RsaOaepMgf1p);
        var encryptedPath = SignedDocuments.Write(document, _files.File("encrypted.xml"));
        var decryptedPath = _files.File("decrypted.xml");

        var decrypt = Xmlsec1.Run("--decrypt", "--privkey-pem", spKey, "--output", decryptedPath, encryptedPath);

        Assert.True(decrypt.ExitCode == 0, decrypt.Output);
        var decrypted = Samples.Parse(File.ReadAllText(decryptedPath));
        Assert.Equal(Samples.NameId, Samples.Single(decrypted, "//samlp:Response/saml:EncryptedAssertion/saml:Assertion/saml:Subject/saml:NameID").InnerText);

        // xmlsec1 leaves the decrypted Assertion inside saml:EncryptedAssertion; its signature is checked where it stands.
        var verify = Xmlsec1.Verify(idpCertificate, decryptedPath, AssertionXPath + "/*[local-name()='Signature']");
        Assert.True(verify.ExitCode == 0, verify.Output);
    }

    [Fact]
    public void The_GCM_cipher_value_is_a_12_byte_IV_then_ciphertext_then_a_16_byte_tag_and_decrypts_to_the_signed_assertion_alone()
    {
        var document = SignedDocuments.SignedResponse(_idp, signResponse: false);
        var id = ResponseBuilder.AssertionOf(document).GetAttribute("ID");
        AssertionEncryptor.Encrypt(ResponseBuilder.AssertionOf(document), _sp.Certificate, SamlAlgorithms.Aes256Gcm, SamlAlgorithms.RsaOaepMgf1p);

        var key = UnwrapKey(document, RSAEncryptionPadding.OaepSHA1);
        var cipherValue = Convert.FromBase64String(Samples.Single(document, "//xenc:EncryptedData/xenc:CipherData/xenc:CipherValue").InnerText);
        var plaintext = new byte[cipherValue.Length - 12 - 16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Decrypt(cipherValue.AsSpan(0, 12), cipherValue.AsSpan(12, plaintext.Length), cipherValue.AsSpan(12 + plaintext.Length), plaintext);
        }

        // The plaintext parses on its own (a self-contained Assertion) and its signature still holds there.
        var alone = Samples.Parse(Encoding.UTF8.GetString(plaintext));
        Assert.Equal(32, key.Length);
        Assert.Equal(id, alone.DocumentElement!.GetAttribute("ID"));
        var signedXml = new IdOnlySignedXml(alone);
        signedXml.LoadXml(Samples.Single(alone, "/saml:Assertion/ds:Signature"));
        Assert.True(signedXml.CheckSignature(_idp.Certificate, verifySignatureOnly: true));
    }

    [Fact]
    public void With_xmlenc11_rsa_oaep_the_key_is_wrapped_with_OAEP_SHA256_and_MGF1_SHA256_as_declared()
    {
        // xmlsec1 1.2.37 implements only rsa-oaep-mgf1p and rsa-1_5 for key transport (xmlsec1 --list-transforms), so the
        // xmlenc11#rsa-oaep variant is proven here by unwrapping with .NET's OAEP-SHA256 (MGF1-SHA256).
        var document = SignedDocuments.SignedResponse(_idp, signResponse: false);
        AssertionEncryptor.Encrypt(ResponseBuilder.AssertionOf(document), _sp.Certificate, SamlAlgorithms.Aes256Gcm, SamlAlgorithms.RsaOaep);

        var method = Samples.Single(document, "//xenc:EncryptedKey/xenc:EncryptionMethod");
        Assert.Equal(SamlAlgorithms.RsaOaep, method.GetAttribute("Algorithm"));
        Assert.Equal(SamlAlgorithms.Sha256, Samples.Single(document, "//xenc:EncryptedKey/xenc:EncryptionMethod/ds:DigestMethod").GetAttribute("Algorithm"));
        Assert.Equal(SamlAlgorithms.Mgf1Sha256, Samples.Single(document, "//xenc:EncryptedKey/xenc:EncryptionMethod/xenc11:MGF").GetAttribute("Algorithm"));
        Assert.Equal(32, UnwrapKey(document, RSAEncryptionPadding.OaepSHA256).Length);
        Assert.ThrowsAny<CryptographicException>(() => UnwrapKey(document, RSAEncryptionPadding.OaepSHA1));
    }

    [Fact]
    public void The_EncryptedAssertion_replaces_the_assertion_and_has_the_xmlenc_structure_with_the_SP_certificate()
    {
        var document = SignedDocuments.SignedResponse(_idp, signResponse: false);
        AssertionEncryptor.Encrypt(ResponseBuilder.AssertionOf(document), _sp.Certificate, SamlAlgorithms.Aes256Gcm, SamlAlgorithms.RsaOaepMgf1p);

        Assert.Equal(["Issuer", "Status", "EncryptedAssertion"], Samples.ChildNames(document.DocumentElement!));
        Assert.DoesNotContain(Samples.NameId, document.OuterXml, StringComparison.Ordinal);
        Assert.DoesNotContain("Aoife", document.OuterXml, StringComparison.Ordinal);
        var data = Samples.Single(document, "/samlp:Response/saml:EncryptedAssertion/xenc:EncryptedData");
        Assert.Equal("http://www.w3.org/2001/04/xmlenc#Element", data.GetAttribute("Type"));
        Assert.Equal(["EncryptionMethod", "KeyInfo", "CipherData"], Samples.ChildNames(data));
        Assert.Equal(SamlAlgorithms.Aes256Gcm, Samples.Single(document, "//xenc:EncryptedData/xenc:EncryptionMethod").GetAttribute("Algorithm"));
        var encryptedKey = Samples.Single(document, "//xenc:EncryptedData/ds:KeyInfo/xenc:EncryptedKey");
        Assert.Equal(["EncryptionMethod", "KeyInfo", "CipherData"], Samples.ChildNames(encryptedKey));
        Assert.Equal("http://www.w3.org/2000/09/xmldsig#sha1",
            Samples.Single(document, "//xenc:EncryptedKey/xenc:EncryptionMethod/ds:DigestMethod").GetAttribute("Algorithm"));
        Assert.Equal(Convert.ToBase64String(_sp.Certificate.RawData),
            Samples.Single(document, "//xenc:EncryptedKey/ds:KeyInfo/ds:X509Data/ds:X509Certificate").InnerText);
    }

    [Fact]
    public void Two_encryptions_of_the_same_assertion_differ()
    {
        var first = SignedDocuments.SignedResponse(_idp, signResponse: false);
        var second = Samples.Parse(first.OuterXml);
        AssertionEncryptor.Encrypt(ResponseBuilder.AssertionOf(first), _sp.Certificate, SamlAlgorithms.Aes256Gcm, SamlAlgorithms.RsaOaepMgf1p);
        AssertionEncryptor.Encrypt(ResponseBuilder.AssertionOf(second), _sp.Certificate, SamlAlgorithms.Aes256Gcm, SamlAlgorithms.RsaOaepMgf1p);

        Assert.NotEqual(
            Samples.Single(first, "//xenc:EncryptedData/xenc:CipherData/xenc:CipherValue").InnerText,
            Samples.Single(second, "//xenc:EncryptedData/xenc:CipherData/xenc:CipherValue").InnerText);
    }

    [Fact]
    public void Unknown_algorithms_and_non_RSA_certificates_are_refused_and_the_assertion_is_left_alone()
    {
        var document = SignedDocuments.SignedResponse(_idp, signResponse: false);
        var assertion = ResponseBuilder.AssertionOf(document);
        using var ecdsa = TestKey.P256("EC SP (test)");

        Assert.Throws<ArgumentException>(() => AssertionEncryptor.Encrypt(assertion, _sp.Certificate, "http://www.w3.org/2001/04/xmlenc#tripledes-cbc", SamlAlgorithms.RsaOaepMgf1p));
        Assert.Throws<ArgumentException>(() => AssertionEncryptor.Encrypt(assertion, _sp.Certificate, SamlAlgorithms.Aes256Gcm, "http://www.w3.org/2001/04/xmlenc#rsa-1_5"));
        Assert.Throws<ArgumentException>(() => AssertionEncryptor.Encrypt(assertion, ecdsa.Certificate, SamlAlgorithms.Aes256Gcm, SamlAlgorithms.RsaOaepMgf1p));
        Assert.Same(assertion, ResponseBuilder.AssertionOf(document));
    }

    private byte[] UnwrapKey(XmlDocument document, RSAEncryptionPadding padding)
    {
        var wrapped = Convert.FromBase64String(Samples.Single(document, "//xenc:EncryptedKey/xenc:CipherData/xenc:CipherValue").InnerText);
        return ((RSA)_sp.Key).Decrypt(wrapped, padding);
    }
}
