using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Tests.Responses;

namespace IdentityHub.Saml.Tests.Signing;

/// <summary>The signer with the hub's HSM adapters (decision 0005): private operations go through ISigningKey only.</summary>
public sealed class HsmAdapterSigningTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void An_RSA_HSM_adapter_signs_a_Response_and_Assertion_that_xmlsec1_verifies_without_ever_exporting_the_key()
    {
        using var software = TestKey.Rsa("IdentityHub SAML signing via HSM adapter (test)");
        var token = new SoftwareSigningKey(software.Key, KeyAlgorithm.Rsa2048);
        using var adapter = token.AsRsa();
        var (certificate, _) = software.WritePem(_files.Path, "idp");

        var document = ResponseBuilder.Success(Samples.Content());
        SamlXmlSigner.Sign(ResponseBuilder.AssertionOf(document), adapter, software.Certificate);
        SamlXmlSigner.Sign(document.DocumentElement!, adapter, software.Certificate);
        var path = SignedDocuments.Write(document, _files.File("response.xml"));

        Assert.Equal(2, token.Signatures);
        Assert.ThrowsAny<CryptographicException>(() => adapter.ExportParameters(includePrivateParameters: true));
        var response = Xmlsec1.Verify(certificate, path, SignedDocuments.ResponseSignatureXPath);
        var assertion = Xmlsec1.Verify(certificate, path, SignedDocuments.AssertionSignatureXPath);
        Assert.True(response.ExitCode == 0, response.Output);
        Assert.True(assertion.ExitCode == 0, assertion.Output);
    }

    [Fact]
    public void An_ECDSA_HSM_adapter_signs_a_LogoutResponse_that_xmlsec1_verifies_and_a_redirect_query()
    {
        using var software = TestKey.P256("IdentityHub SAML P-256 via HSM adapter (test)");
        var token = new SoftwareSigningKey(software.Key, KeyAlgorithm.EcP256);
        using var adapter = token.AsECDsa();
        var (certificate, _) = software.WritePem(_files.Path, "idp-ec");
        const string query = "SAMLRequest=fZJNT8Mw&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23ecdsa-sha256";

        var document = LogoutMessageBuilder.Response(Samples.IdpEntityId, Samples.AcsUrl, "_r", SamlStatus.Success, null, Samples.Now);
        SamlXmlSigner.Sign(document.DocumentElement!, adapter, software.Certificate);
        var signature = Convert.FromBase64String(SamlXmlSigner.SignQuery(query, adapter));

        var verified = Xmlsec1.Verify(certificate, SignedDocuments.Write(document, _files.File("logout-response.xml")));
        Assert.True(verified.ExitCode == 0, verified.Output);
        using var publicKey = software.Certificate.GetECDsaPublicKey()!;
        Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(query), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal(2, token.Signatures);
    }
}
