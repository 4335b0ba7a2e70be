using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Core.Keys;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace IdentityHub.Hsm.Tests;

[Collection(TokenCollection.Name)]
public sealed class AdapterTests(TokenFixture token)
{
    [Theory]
    [InlineData(KeyAlgorithm.EcP256)]
    [InlineData(KeyAlgorithm.EcP384)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void Dotnet_certificate_cms_and_xml_apis_sign_with_hsm_keys_unchanged(KeyAlgorithm algorithm)
    {
        var key = token.Store.Generate("test-adapter", algorithm);
        using var privateKey = key.AsAsymmetricAlgorithm();
        var (request, generator) = privateKey is RSA rsa
            ? (new CertificateRequest("CN=Adapter Test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1))
            : (new CertificateRequest("CN=Adapter Test", (ECDsa)privateKey, HashAlgorithmName.SHA256), X509SignatureGenerator.CreateForECDsa((ECDsa)privateKey));

        // CertificateRequest signs through the adapter's SignHash.
        using var certificate = request.Create(request.SubjectName, generator, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4, 5, 6, 7, 8]);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificate), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));

        // SignedCms takes the key beside the certificate; CheckSignature verifies with the certificate's public key.
        var cms = new SignedCms(new ContentInfo("hello"u8.ToArray()));
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, privateKey));
        var decoded = new SignedCms();
        decoded.Decode(cms.Encode());
        decoded.CheckSignature(verifySignatureOnly: true);

        // SignedXml signs with SigningKey (XML-DSig enveloped signature) and verifies with the certificate. .NET registers
        // no ECDSA SignatureDescription for SignedXml, so XML signatures here are RSA (the SAML work registers ECDSA if it needs it).
        if (privateKey is not RSA)
        {
            return;
        }

        var xml = new System.Xml.XmlDocument { PreserveWhitespace = true };
        xml.LoadXml("<doc><a>1</a></doc>");
        var signedXml = new System.Security.Cryptography.Xml.SignedXml(xml) { SigningKey = privateKey };
        signedXml.SignedInfo!.SignatureMethod = System.Security.Cryptography.Xml.SignedXml.XmlDsigRSASHA256Url;
        var reference = new System.Security.Cryptography.Xml.Reference { Uri = string.Empty, DigestMethod = System.Security.Cryptography.Xml.SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new System.Security.Cryptography.Xml.XmlDsigEnvelopedSignatureTransform());
        signedXml.AddReference(reference);
        signedXml.ComputeSignature();
        Assert.True(signedXml.CheckSignature(certificate, verifySignatureOnly: true));
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void CopyWithPrivateKey_is_refused_clearly_because_linux_certificates_only_hold_openssl_keys(KeyAlgorithm algorithm)
    {
        // .NET on Linux copies the private key into an OpenSSL EVP_PKEY, which needs the private parameters:
        // the adapter refuses to export them (docs/decisions/0005-hsm-keys-in-dotnet-apis.md).
        var key = token.Store.Generate("test-copy", algorithm);
        using var privateKey = key.AsAsymmetricAlgorithm();
        using var other = ECDsa.Create();
        using var rsaOther = RSA.Create();
        var request = privateKey is RSA r
            ? new CertificateRequest("CN=Copy", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=Copy", (ECDsa)privateKey, HashAlgorithmName.SHA256);
        using var issuerKey = privateKey is RSA ? (AsymmetricAlgorithm)rsaOther : other;
        var generator = privateKey is RSA ? X509SignatureGenerator.CreateForRSA(rsaOther, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa(other);
        using var publicOnly = request.Create(request.SubjectName, generator, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1), [9, 9]);

        var ex = Assert.Throws<CryptographicException>(() => privateKey is RSA rk ? publicOnly.CopyWithPrivateKey(rk) : publicOnly.CopyWithPrivateKey((ECDsa)privateKey));
        Assert.Contains("inside the HSM", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void Private_parameters_cannot_be_exported_through_the_adapters(KeyAlgorithm algorithm)
    {
        var key = token.Store.Generate("test-no-export", algorithm);
        using var adapter = key.AsAsymmetricAlgorithm();
        Assert.Throws<CryptographicException>(() => adapter.ExportPkcs8PrivateKey());
        if (adapter is RSA rsa)
        {
            Assert.Throws<CryptographicException>(() => rsa.ExportParameters(true));
            Assert.Equal(65537, new BigInteger(1, rsa.ExportParameters(false).Exponent!).IntValue);
        }
        else
        {
            Assert.Throws<CryptographicException>(() => ((ECDsa)adapter).ExportParameters(true));
        }
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcP256, false)]
    [InlineData(KeyAlgorithm.EcP384, false)]
    [InlineData(KeyAlgorithm.Rsa2048, false)]
    [InlineData(KeyAlgorithm.Rsa2048, true)]
    public void BouncyCastle_certificates_signed_through_the_factory_verify(KeyAlgorithm algorithm, bool pss)
    {
        var key = token.Store.Generate("test-bc", algorithm);
        var generator = new X509V3CertificateGenerator();
        var name = new X509Name("CN=BC Factory Test");
        generator.SetSerialNumber(BigInteger.ValueOf(42));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(DateTime.UtcNow.AddMinutes(-1));
        generator.SetNotAfter(DateTime.UtcNow.AddDays(1));
        generator.SetPublicKey(key.PublicKeyParameter());

        var certificate = generator.Generate(key.ToSignatureFactory(rsaPss: pss));

        certificate.Verify(key.PublicKeyParameter());
        using var dotnet = X509CertificateLoader.LoadCertificate(certificate.GetEncoded());
        Assert.Equal(pss ? "1.2.840.113549.1.1.10" : algorithm.IsRsa() ? "1.2.840.113549.1.1.11" : algorithm == KeyAlgorithm.EcP384 ? "1.2.840.10045.4.3.3" : "1.2.840.10045.4.3.2",
            dotnet.SignatureAlgorithm.Value);
    }
}
