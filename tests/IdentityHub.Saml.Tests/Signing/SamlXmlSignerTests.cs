using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Tests.Responses;

namespace IdentityHub.Saml.Tests.Signing;

/// <summary>Enveloped signatures checked by xmlsec1 (an independent implementation), and the HTTP-Redirect query signature.</summary>
public sealed class SamlXmlSignerTests : IDisposable
{
    private readonly TestKey _rsa = TestKey.Rsa("IdentityHub SAML signing (test)");
    private readonly TempDirectory _files = new();

    public void Dispose()
    {
        _rsa.Dispose();
        _files.Dispose();
    }

    [Fact]
    public void Xmlsec1_verifies_both_the_Response_signature_and_the_Assertion_signature_with_RSA_SHA256()
    {
        var (certificate, _) = _rsa.WritePem(_files.Path, "idp");
        var path = SignedDocuments.Write(SignedDocuments.SignedResponse(_rsa), _files.File("response.xml"));

        var response = Xmlsec1.Verify(certificate, path, SignedDocuments.ResponseSignatureXPath);
        var assertion = Xmlsec1.Verify(certificate, path, SignedDocuments.AssertionSignatureXPath);

        Assert.True(response.ExitCode == 0, response.Output);
        Assert.Contains("OK", response.Output, StringComparison.Ordinal);
        Assert.True(assertion.ExitCode == 0, assertion.Output);
        Assert.Contains("OK", assertion.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Xmlsec1_without_a_start_node_checks_the_first_signature_which_is_the_Response_one()
    {
        var (certificate, _) = _rsa.WritePem(_files.Path, "idp");
        var path = SignedDocuments.Write(SignedDocuments.SignedResponse(_rsa), _files.File("response.xml"));
        var tamperedAssertionOnly = SignedDocuments.Tamper(path, "<saml:Audience>https://benefits", "<saml:Audience>https://benefitz");

        Assert.Equal(0, Xmlsec1.Verify(certificate, path).ExitCode);

        // The Audience is inside the Assertion, which the Response signature covers too, so both fail.
        Assert.NotEqual(0, Xmlsec1.Verify(certificate, tamperedAssertionOnly).ExitCode);
        Assert.NotEqual(0, Xmlsec1.Verify(certificate, tamperedAssertionOnly, SignedDocuments.AssertionSignatureXPath).ExitCode);
    }

    [Fact]
    public void Xmlsec1_refuses_both_signatures_after_a_one_byte_change_in_the_NameID()
    {
        var (certificate, _) = _rsa.WritePem(_files.Path, "idp");
        var path = SignedDocuments.Write(SignedDocuments.SignedResponse(_rsa), _files.File("response.xml"));
        var tampered = SignedDocuments.Tamper(path, Samples.NameId, "d" + Samples.NameId[1..]);

        Assert.NotEqual(0, Xmlsec1.Verify(certificate, tampered, SignedDocuments.ResponseSignatureXPath).ExitCode);
        Assert.NotEqual(0, Xmlsec1.Verify(certificate, tampered, SignedDocuments.AssertionSignatureXPath).ExitCode);
    }

    [Fact]
    public void Xmlsec1_refuses_the_Response_signature_after_a_one_byte_change_outside_the_Assertion()
    {
        var (certificate, _) = _rsa.WritePem(_files.Path, "idp");
        var path = SignedDocuments.Write(SignedDocuments.SignedResponse(_rsa), _files.File("response.xml"));
        var tampered = SignedDocuments.Tamper(path, $"Destination=\"{Samples.AcsUrl}\"", $"Destination=\"{Samples.AcsUrl[..^1]}X\"");

        Assert.NotEqual(0, Xmlsec1.Verify(certificate, tampered, SignedDocuments.ResponseSignatureXPath).ExitCode);
        Assert.Equal(0, Xmlsec1.Verify(certificate, tampered, SignedDocuments.AssertionSignatureXPath).ExitCode);
    }

    [Fact]
    public void Xmlsec1_verifies_an_ECDSA_P256_signed_Response()
    {
        using var ecdsa = TestKey.P256("IdentityHub SAML signing P-256 (test)");
        var (certificate, _) = ecdsa.WritePem(_files.Path, "idp-ec");
        var document = SignedDocuments.SignedResponse(ecdsa);
        var path = SignedDocuments.Write(document, _files.File("response-ec.xml"));

        Assert.Equal(SamlAlgorithms.EcdsaSha256, Samples.Single(document, "/samlp:Response/ds:Signature/ds:SignedInfo/ds:SignatureMethod").GetAttribute("Algorithm"));
        var response = Xmlsec1.Verify(certificate, path, SignedDocuments.ResponseSignatureXPath);
        var assertion = Xmlsec1.Verify(certificate, path, SignedDocuments.AssertionSignatureXPath);
        Assert.True(response.ExitCode == 0, response.Output);
        Assert.True(assertion.ExitCode == 0, assertion.Output);
        Assert.NotEqual(0, Xmlsec1.Verify(certificate, SignedDocuments.Tamper(path, "Aoife", "Aoifa"), SignedDocuments.ResponseSignatureXPath).ExitCode);
    }

    [Fact]
    public void Xmlsec1_verifies_a_signed_LogoutRequest()
    {
        var (certificate, _) = _rsa.WritePem(_files.Path, "idp");
        var document = LogoutMessageBuilder.Request(
            Samples.IdpEntityId, "https://benefits.agency.example.gov/saml/slo",
            new SamlSubject(Samples.NameId, SamlNameIdFormats.Transient, null), ["_s1"], Samples.Now, TimeSpan.FromMinutes(2));
        SamlXmlSigner.Sign(document.DocumentElement!, _rsa.Key, _rsa.Certificate);
        var path = SignedDocuments.Write(document, _files.File("logout.xml"));

        Assert.Equal(["Issuer", "Signature", "NameID", "SessionIndex"], Samples.ChildNames(document.DocumentElement!));
        var result = Xmlsec1.Verify(certificate, path);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void The_signature_goes_right_after_Issuer_in_the_Response_and_in_the_Assertion()
    {
        var document = SignedDocuments.SignedResponse(_rsa);

        Assert.Equal(["Issuer", "Signature", "Status", "Assertion"], Samples.ChildNames(document.DocumentElement!));
        Assert.Equal(["Issuer", "Signature", "Subject", "Conditions", "AuthnStatement", "AttributeStatement"],
            Samples.ChildNames(ResponseBuilder.AssertionOf(document)));
    }

    [Fact]
    public void The_signature_uses_exclusive_c14n_SHA256_one_reference_to_the_element_and_carries_the_certificate()
    {
        var document = SignedDocuments.SignedResponse(_rsa, signResponse: false);
        var assertion = ResponseBuilder.AssertionOf(document);

        Assert.Equal(SamlAlgorithms.ExclusiveC14n, Samples.Single(document, "//ds:SignedInfo/ds:CanonicalizationMethod").GetAttribute("Algorithm"));
        Assert.Equal(SamlAlgorithms.RsaSha256, Samples.Single(document, "//ds:SignedInfo/ds:SignatureMethod").GetAttribute("Algorithm"));
        var reference = Samples.Single(document, "//ds:SignedInfo/ds:Reference");
        Assert.Equal("#" + assertion.GetAttribute("ID"), reference.GetAttribute("URI"));
        Assert.Equal([SamlAlgorithms.EnvelopedSignature, SamlAlgorithms.ExclusiveC14n],
            document.SelectNodes("//ds:Reference/ds:Transforms/ds:Transform", Samples.Namespaces(document))!.Cast<XmlElement>().Select(t => t.GetAttribute("Algorithm")));
        Assert.Equal(SamlAlgorithms.Sha256, Samples.Single(document, "//ds:Reference/ds:DigestMethod").GetAttribute("Algorithm"));
        Assert.Equal(Convert.ToBase64String(_rsa.Certificate.RawData), Samples.Single(document, "//ds:KeyInfo/ds:X509Data/ds:X509Certificate").InnerText);
    }

    [Fact]
    public void SignedXml_with_the_certificate_public_key_verifies_the_reparsed_assertion_signature()
    {
        var parsed = Samples.Parse(SignedDocuments.SignedResponse(_rsa).OuterXml);

        var signedXml = new IdOnlySignedXml(parsed);
        signedXml.LoadXml(Samples.Single(parsed, "/samlp:Response/saml:Assertion/ds:Signature"));

        Assert.True(signedXml.CheckSignature(_rsa.Certificate, verifySignatureOnly: true));
        Samples.Single(parsed, "//saml:AuthnContextClassRef").InnerText = EidasLevels.High;
        Assert.False(signedXml.CheckSignature(_rsa.Certificate, verifySignatureOnly: true));
    }

    [Fact]
    public void An_ID_carried_by_two_elements_resolves_to_nothing()
    {
        var document = Samples.Parse("<a><b ID=\"_x\"/><c ID=\"_x\"/><d ID=\"_y\" Id=\"_z\"/></a>");
        var signedXml = new IdOnlySignedXml(document);

        Assert.Null(signedXml.GetIdElement(document, "_x"));
        Assert.Equal("d", signedXml.GetIdElement(document, "_y")?.LocalName);
        Assert.Null(signedXml.GetIdElement(document, "_z"));
    }

    [Fact]
    public void In_a_parsed_message_with_whitespace_the_signature_still_goes_after_Issuer_and_xmlsec1_verifies_it()
    {
        var (certificate, _) = _rsa.WritePem(_files.Path, "idp");
        var unsigned = ResponseBuilder.Error(Samples.IdpEntityId, Samples.AcsUrl, "_r", SamlStatus.Requester, null, null, Samples.Now).OuterXml;
        var parsed = Samples.Parse(unsigned.Replace("<saml:Issuer>", "\n  <saml:Issuer>", StringComparison.Ordinal));

        SamlXmlSigner.Sign(parsed.DocumentElement!, _rsa.Key, _rsa.Certificate);

        Assert.Equal(["Issuer", "Signature", "Status"], Samples.ChildNames(parsed.DocumentElement!));
        var result = Xmlsec1.Verify(certificate, SignedDocuments.Write(parsed, _files.File("error.xml")));
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void An_element_without_an_ID_cannot_be_signed()
    {
        var document = Samples.Parse("<a/>");

        Assert.Throws<ArgumentException>(() => SamlXmlSigner.Sign(document.DocumentElement!, _rsa.Key, _rsa.Certificate));
    }

    [Fact]
    public void The_redirect_query_signature_is_RSA_PKCS1_SHA256_over_the_exact_query_octets()
    {
        const string query = "SAMLRequest=fZJNT8MwDIbv%2FIoq9zVpx2BEa6XBhDSJIbQhDlyqrHVppDQucbrBvyddGYeR&RelayState=abc&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256";

        var signature = Convert.FromBase64String(SamlXmlSigner.SignQuery(query, _rsa.Key));

        using var publicKey = _rsa.Certificate.GetRSAPublicKey()!;
        Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(query), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.False(publicKey.VerifyData(Encoding.UTF8.GetBytes(query.Replace("abc", "abd", StringComparison.Ordinal)), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(SamlAlgorithms.RsaSha256, SamlXmlSigner.SignatureMethodFor(_rsa.Key));
    }

    [Fact]
    public void The_redirect_query_signature_with_ECDSA_is_r_and_s_concatenated()
    {
        using var ecdsa = TestKey.P256("query (test)");
        const string query = "SAMLResponse=abc&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23ecdsa-sha256";

        var signature = Convert.FromBase64String(SamlXmlSigner.SignQuery(query, ecdsa.Key));

        using var publicKey = ecdsa.Certificate.GetECDsaPublicKey()!;
        Assert.Equal(64, signature.Length);
        Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(query), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal(SamlAlgorithms.EcdsaSha256, SamlXmlSigner.SignatureMethodFor(ecdsa.Key));
    }

    [Fact]
    public void A_key_that_is_neither_RSA_nor_ECDSA_is_refused()
    {
        using var dsa = DSA.Create(2048);

        Assert.Throws<ArgumentException>(() => SamlXmlSigner.SignatureMethodFor(dsa));
        Assert.Throws<ArgumentException>(() => SamlXmlSigner.SignQuery("SAMLRequest=a", dsa));
    }
}
