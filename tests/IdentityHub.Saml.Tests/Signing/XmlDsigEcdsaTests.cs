using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Tests.Responses;

namespace IdentityHub.Saml.Tests.Signing;

/// <summary>Why the signer registers its own ECDSA SignatureDescriptions, and that SignedXml then verifies ECDSA too.</summary>
public sealed class XmlDsigEcdsaTests
{
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
