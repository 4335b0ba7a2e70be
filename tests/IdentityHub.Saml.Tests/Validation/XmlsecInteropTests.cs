using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Tests.Inbound;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Validation;

/// <summary>A peer check: an AuthnRequest signed by xmlsec1 (an independent XML DSig implementation) is accepted.</summary>
public sealed class XmlsecInteropTests
{
    private static string Template(string signatureMethod) => SampleMessages.AuthnRequest("_xmlsec1").Replace(
        "</saml:Issuer>",
        $"""
        </saml:Issuer>
          <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
            <ds:SignedInfo>
              <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
              <ds:SignatureMethod Algorithm="{signatureMethod}"/>
              <ds:Reference URI="#_xmlsec1">
                <ds:Transforms>
                  <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
                  <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
                </ds:Transforms>
                <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
                <ds:DigestValue></ds:DigestValue>
              </ds:Reference>
            </ds:SignedInfo>
            <ds:SignatureValue></ds:SignatureValue>
          </ds:Signature>
        """,
        StringComparison.Ordinal);

    [Theory]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    public void An_AuthnRequest_signed_by_xmlsec1_is_accepted_and_read(string keyKind)
    {
        AsymmetricAlgorithm key = keyKind == "rsa" ? TestKeys.SpRsa : TestKeys.SpEcdsa;
        string method = keyKind == "rsa" ? SamlAlgorithms.RsaSha256 : SamlAlgorithms.EcdsaSha256;
        string directory = Directory.CreateTempSubdirectory("xmlsec1-").FullName;
        try
        {
            string keyPath = Path.Combine(directory, "key.pem");
            string templatePath = Path.Combine(directory, "template.xml");
            string outputPath = Path.Combine(directory, "out.xml");
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(templatePath, Template(method), new UTF8Encoding(false));

            var start = new ProcessStartInfo("xmlsec1")
            {
                ArgumentList = { "--sign", "--privkey-pem", keyPath, "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest", "--output", outputPath, templatePath },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using Process process = Process.Start(start)!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, errors);

            string signedXml = File.ReadAllText(outputPath);
            Assert.DoesNotContain("<ds:SignatureValue></ds:SignatureValue>", signedXml, StringComparison.Ordinal);
            SamlReadResult read = SamlMessageReader.ReadPost(Convert.ToBase64String(File.ReadAllBytes(outputPath)), null, MessageEncoder.MaxBytes);
            Assert.True(read.Succeeded, read.Problem?.Detail);

            SignatureCheck check = SignatureVerifier.Verify(read.Message!, TestKeys.SpCertificates);

            Assert.True(check.Signed, check.Problem?.Detail);
            Assert.Null(check.Problem);
            AuthnRequestMessage request = AuthnRequestReader.Read(check.VerifiedRoot!, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(3)).Request!;
            Assert.Equal("_xmlsec1", request.Id);

            // And the same file with one attribute changed no longer verifies.
            XmlDocument tampered = SampleMessages.Parse(signedXml);
            tampered.DocumentElement!.SetAttribute("ForceAuthn", "false");
            Assert.Equal(SamlProblemCodes.BadSignature, InboundPipeline.PostAndVerify(tampered).Problem?.Code);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
