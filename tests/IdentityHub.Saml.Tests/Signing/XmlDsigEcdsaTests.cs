using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Tests.Responses;

namespace IdentityHub.Saml.Tests.Signing;

/// <summary>Why the signer registers its own ECDSA SignatureDescriptions, and that SignedXml then verifies ECDSA too.</summary>
public sealed class XmlDsigEcdsaTests
{
    [Fact]
    public void CryptoConfig_refuses_the_internal_descriptions_of_EcdsaSignatureDescriptions()
    {
        // The cause of EcdsaSignatureDescriptions.Register() failing: AddAlgorithm needs a type visible outside its assembly.
        // (Register() itself is not called here: it would mark itself done for the whole test process.)
        var exception = Assert.Throws<ArgumentException>(() =>
            CryptoConfig.AddAlgorithm(typeof(EcdsaSignatureDescriptions.EcdsaSha256), "urn:identityhub:test:never-registered"));
        Assert.Contains("accessible from outside their assembly", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_registration_SignedXml_verifies_an_ECDSA_P256_assertion_signature_and_refuses_a_changed_one()
    {
        using var ecdsa = TestKey.P256("SignedXml ECDSA (test)");
        var parsed = Samples.Parse(SignedDocuments.SignedResponse(ecdsa, signResponse: false).OuterXml);

        var signedXml = new IdOnlySignedXml(parsed);
        signedXml.LoadXml(Samples.Single(parsed, "/samlp:Response/saml:Assertion/ds:Signature"));
        using var publicKey = ecdsa.Certificate.GetECDsaPublicKey()!;

        Assert.True(signedXml.CheckSignature(publicKey));
        Samples.Single(parsed, "//saml:Audience").InnerText = "https://evil.example";
        Assert.False(signedXml.CheckSignature(publicKey));
    }
}
