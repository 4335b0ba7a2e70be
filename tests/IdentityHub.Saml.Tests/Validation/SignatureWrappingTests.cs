using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Tests.Inbound;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Validation;

/// <summary>XSW1–XSW8 on AuthnRequest, LogoutRequest, Response and Assertion roots, each built from a validly signed message.</summary>
public sealed class SignatureWrappingTests
{
    public static TheoryData<string, int> RootsAndVariants()
    {
        var data = new TheoryData<string, int>();
        foreach (string root in new[] { "AuthnRequest", "LogoutRequest", "Response", "Assertion" })
        {
            for (int variant = 1; variant <= 8; variant++)
            {
                data.Add(root, variant);
            }
        }

        return data;
    }

    private static XmlDocument SignedSample(string root) => TestSigner.Sign(
        root switch
        {
            "AuthnRequest" => SampleMessages.AuthnRequest(),
            "LogoutRequest" => SampleMessages.LogoutRequest(),
            "Response" => SampleMessages.Response(),
            _ => SampleMessages.Assertion(),
        },
        TestKeys.SpRsa);

    [Theory]
    [InlineData("AuthnRequest")]
    [InlineData("LogoutRequest")]
    [InlineData("Response")]
    [InlineData("Assertion")]
    public void The_validly_signed_message_each_wrapping_attack_starts_from_is_accepted(string root)
    {
        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(SignedSample(root));

        Assert.Null(problem);
        Assert.Equal(root, verified!.LocalName);
        Assert.Equal(SampleMessages.SpEntityId, WrappingAttacks.Issuer(verified).InnerText);
    }

    [Theory]
    [MemberData(nameof(RootsAndVariants))]
    public void A_wrapped_message_is_refused_when_read_by_HTTP_POST(string root, int variant)
    {
        XmlDocument attack = WrappingAttacks.Build(SignedSample(root), variant);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(attack);

        Assert.Null(verified);
        Assert.NotNull(problem);
        Assert.Contains(problem.Code, new[] { SamlProblemCodes.SignatureWrapping, SamlProblemCodes.DuplicateId });
    }

    /// <summary>
    /// The same attacks given straight to the verifier, past SafeXml's duplicate-ID check: the signature checks alone
    /// (one signature, a direct child of the root, one Reference to the root's ID, no ds:Object, the resolved element
    /// being the root) still refuse every variant.
    /// </summary>
    [Theory]
    [MemberData(nameof(RootsAndVariants))]
    public void A_wrapped_message_is_refused_by_the_signature_checks_alone(string root, int variant)
    {
        XmlDocument attack = WrappingAttacks.Build(SignedSample(root), variant);
        var message = new ReceivedMessage(SamlBindings.HttpPost, attack, attack.DocumentElement!, null, null);

        SignatureCheck check = SignatureVerifier.Verify(message, TestKeys.SpCertificates);

        Assert.Null(check.VerifiedRoot);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, check.Problem?.Code);
    }

    [Fact]
    public void A_signature_moved_under_Extensions_with_a_changed_copy_of_the_request_is_refused()
    {
        XmlDocument attack = WrappingAttacks.Build(SignedSample("AuthnRequest"), 7);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(attack);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void A_signature_moved_to_a_changed_copy_whose_Reference_still_names_the_original_is_refused()
    {
        XmlDocument attack = WrappingAttacks.Build(SignedSample("LogoutRequest"), 1);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(attack);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void A_Response_whose_only_signature_is_on_an_inner_Assertion_is_not_taken_as_a_signed_message()
    {
        XmlDocument document = SampleMessages.Parse(SampleMessages.Response());
        XmlElement assertion = (XmlElement)document.SelectSingleNode("//saml:Assertion", SampleMessages.Namespaces(document))!;
        TestSigner.SignElement(assertion, TestKeys.SpRsa);

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(document);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.SignatureWrapping, problem?.Code);
    }

    [Fact]
    public void Two_elements_with_the_same_ID_make_the_reference_resolve_to_nothing()
    {
        XmlDocument document = SampleMessages.Parse(SampleMessages.AuthnRequest());
        var signedXml = new RootOnlySignedXml(document);
        Assert.Same(document.DocumentElement, signedXml.GetIdElement(document, "_req1"));

        XmlElement extensionsNote = (XmlElement)document.SelectSingleNode("//samlp:Extensions/*", SampleMessages.Namespaces(document))!;
        extensionsNote.SetAttribute("ID", "_req1");

        Assert.Null(signedXml.GetIdElement(document, "_req1"));
        Assert.Null(signedXml.ResolvedElement);
        Assert.True(SafeXml.HasDuplicateIds(document.DocumentElement!));
    }
}
