using System.Security.Cryptography;
using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Tests.Inbound;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Validation;

/// <summary>Rule 4: the enveloped signature of an HTTP-POST message, each check proven by mutating a valid signed message.</summary>
public sealed class EnvelopedSignatureTests
{
    public static TheoryData<string, string> MessagesAndKeys() => new()
    {
        { "AuthnRequest", "rsa" }, { "AuthnRequest", "ecdsa" },
        { "LogoutRequest", "rsa" }, { "LogoutRequest", "ecdsa" },
        { "LogoutResponse", "rsa" }, { "LogoutResponse", "ecdsa" },
    };

    private static string Sample(string name) => name switch
    {
        "AuthnRequest" => SampleMessages.AuthnRequest(),
        "LogoutRequest" => SampleMessages.LogoutRequest(),
        _ => SampleMessages.LogoutResponse(),
    };

    private static XmlDocument SignedRequest(TestSigner.Options? options = null, AsymmetricAlgorithm? key = null) =>
        TestSigner.Sign(SampleMessages.AuthnRequest(), key ?? TestKeys.SpRsa, options);

    private static XmlNode Node(XmlDocument document, string xpath) => document.SelectSingleNode(xpath, SampleMessages.Namespaces(document))!;

    [Theory]
    [MemberData(nameof(MessagesAndKeys))]
    public void A_message_signed_by_the_SP_with_RSA_or_P256_is_verified_and_its_root_returned(string name, string keyKind)
    {
        AsymmetricAlgorithm key = keyKind == "rsa" ? TestKeys.SpRsa : TestKeys.SpEcdsa;
        XmlDocument signed = TestSigner.Sign(Sample(name), key);

        SamlReadResult read = MessageEncoder.ReadPost(signed);
        SignatureCheck check = SignatureVerifier.Verify(read.Message!, TestKeys.SpCertificates);

        Assert.True(check.Succeeded, check.Problem?.Detail);
        Assert.True(check.Signed);
        Assert.Same(read.Message!.Root, check.VerifiedRoot);
        Assert.Equal(name, check.VerifiedRoot!.LocalName);
    }

    [Fact]
    public void An_unsigned_message_is_reported_unsigned_without_a_problem()
    {
        SamlReadResult read = MessageEncoder.ReadPost(SampleMessages.AuthnRequest());

        SignatureCheck check = SignatureVerifier.Verify(read.Message!, TestKeys.SpCertificates);

        Assert.False(check.Signed);
        Assert.Null(check.VerifiedRoot);
        Assert.Null(check.Problem);
    }

    [Fact]
    public void A_request_changed_after_signing_is_refused()
    {
        XmlDocument signed = SignedRequest();
        ((XmlElement)signed.DocumentElement!).SetAttribute("AssertionConsumerServiceURL", "https://evil.test/acs");

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.BadSignature, problem?.Code);
    }

    [Fact]
    public void A_request_signed_by_another_key_is_refused_even_when_its_KeyInfo_carries_that_key()
    {
        XmlDocument signed = SignedRequest(new TestSigner.Options { KeyInfoCertificate = TestKeys.AttackerCertificate }, TestKeys.AttackerRsa);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.BadSignature, problem?.Code);
    }

    [Fact]
    public void A_signed_request_is_refused_when_the_SP_has_no_certificate()
    {
        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(SignedRequest(), []);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.BadSignature, problem?.Code);
    }

    [Fact]
    public void A_Reference_with_an_empty_URI_signing_the_whole_document_is_refused()
    {
        XmlDocument signed = SignedRequest(new TestSigner.Options { ReferenceUri = "" });

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void A_Reference_to_another_element_than_the_root_is_refused()
    {
        XmlDocument document = SampleMessages.Parse(SampleMessages.AuthnRequest());
        var note = (XmlElement)Node(document, "//samlp:Extensions/*");
        note.SetAttribute("ID", "_note");
        TestSigner.SignElement(document.DocumentElement!, TestKeys.SpRsa, new TestSigner.Options { ReferenceUri = "#_note" });

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(document);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void A_second_Reference_in_SignedInfo_is_refused()
    {
        XmlDocument signed = SignedRequest();
        XmlNode reference = Node(signed, "//ds:Reference");
        reference.ParentNode!.AppendChild(reference.CloneNode(deep: true));

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void A_signature_that_is_not_a_direct_child_of_the_root_is_refused()
    {
        XmlDocument signed = SignedRequest();
        XmlNode signature = Node(signed, "/*/ds:Signature");
        Node(signed, "//samlp:Extensions").AppendChild(signature);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void A_second_signature_anywhere_in_the_message_is_refused()
    {
        XmlDocument signed = SignedRequest();
        Node(signed, "//samlp:Extensions").AppendChild(Node(signed, "/*/ds:Signature").CloneNode(deep: true));

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void A_ds_Object_inside_the_signature_is_refused()
    {
        XmlDocument signed = SignedRequest();
        XmlElement dsObject = signed.CreateElement("ds", "Object", SamlNames.XmlDsig);
        Node(signed, "/*/ds:Signature").AppendChild(dsObject);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void Inclusive_canonicalization_is_refused_even_when_the_signature_is_valid()
    {
        XmlDocument signed = SignedRequest(new TestSigner.Options { Canonicalization = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315" });

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.AlgorithmNotAllowed, problem?.Code);
    }

    [Fact]
    public void A_SHA1_digest_is_refused_even_when_the_signature_is_valid()
    {
        XmlDocument signed = SignedRequest(new TestSigner.Options { DigestMethod = "http://www.w3.org/2000/09/xmldsig#sha1" });

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.AlgorithmNotAllowed, problem?.Code);
    }

    [Fact]
    public void An_RSA_SHA1_signature_method_is_refused_even_when_the_signature_is_valid()
    {
        XmlDocument signed = SignedRequest(new TestSigner.Options { SignatureMethod = "http://www.w3.org/2000/09/xmldsig#rsa-sha1" });

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.AlgorithmNotAllowed, problem?.Code);
    }

    [Fact]
    public void An_HMAC_signature_method_is_refused()
    {
        XmlDocument signed = SignedRequest();
        ((XmlElement)Node(signed, "//ds:SignatureMethod")).SetAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256");

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.AlgorithmNotAllowed, problem?.Code);
    }

    [Theory]
    [InlineData("http://www.w3.org/TR/1999/REC-xpath-19991116")]
    [InlineData("http://www.w3.org/TR/1999/REC-xslt-19991116")]
    [InlineData("http://www.w3.org/2000/09/xmldsig#base64")]
    public void A_third_transform_is_refused(string transform)
    {
        XmlDocument signed = SignedRequest();
        XmlElement extra = signed.CreateElement("ds", "Transform", SamlNames.XmlDsig);
        extra.SetAttribute("Algorithm", transform);
        Node(signed, "//ds:Transforms").AppendChild(extra);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.AlgorithmNotAllowed, problem?.Code);
    }

    [Fact]
    public void Transforms_without_the_enveloped_signature_transform_are_refused()
    {
        XmlDocument signed = SignedRequest();
        XmlNode transforms = Node(signed, "//ds:Transforms");
        transforms.RemoveChild(transforms.FirstChild!);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.AlgorithmNotAllowed, problem?.Code);
    }

    [Fact]
    public void An_InclusiveNamespaces_prefix_list_on_exclusive_c14n_is_accepted()
    {
        XmlDocument signed = SignedRequest(new TestSigner.Options { InclusivePrefixes = "saml" });
        Assert.NotNull(Node(signed, "//ds:Transform/*[local-name()='InclusiveNamespaces']"));

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(problem);
        Assert.Same(verified!.OwnerDocument.DocumentElement, verified);
    }

    [Fact]
    public void An_ECDSA_signature_is_not_checked_against_an_RSA_certificate_alone()
    {
        XmlDocument signed = SignedRequest(key: TestKeys.SpEcdsa);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed, [TestKeys.SpRsaCertificate]);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.BadSignature, problem?.Code);
    }
}
