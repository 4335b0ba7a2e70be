using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Tests.Inbound;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Samlp;

/// <summary>
/// Rule 6 (the 2018 comment-truncation attack on several SAML libraries): a comment splits a value into text nodes;
/// a reader that takes the first text node reads a different identity than the one signed.
/// </summary>
public sealed class CommentTruncationTests
{
    private const string Split = "user@evil.com<!---->.good.com";

    [Fact]
    public void A_NameID_split_by_a_comment_is_read_in_full()
    {
        XmlElement root = SampleMessages.Parse(SampleMessages.LogoutRequest(nameId: Split)).DocumentElement!;

        (LogoutRequestMessage? request, SamlProblem? problem) = LogoutRequestReader.Read(root, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(3));

        Assert.Null(problem);
        Assert.Equal("user@evil.com.good.com", request!.NameId.Value);
    }

    [Fact]
    public void An_Issuer_and_an_AuthnContextClassRef_split_by_comments_are_read_in_full()
    {
        string xml = SampleMessages.AuthnRequest()
            .Replace(SampleMessages.SpEntityId + "</saml:Issuer>", "https://sp.agency.test<!-- x -->/saml</saml:Issuer>", StringComparison.Ordinal)
            .Replace("LoA/high<", "LoA/<!---->high<", StringComparison.Ordinal);

        AuthnRequestMessage request = AuthnRequestReader.Read(SampleMessages.Parse(xml).DocumentElement!, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(3)).Request!;

        Assert.Equal(SampleMessages.SpEntityId, request.Issuer);
        Assert.Equal("http://eidas.europa.eu/LoA/high", request.RequestedClassRefs[1]);
    }

    [Fact]
    public void A_comment_inserted_into_a_signed_POST_message_after_signing_is_refused()
    {
        XmlDocument signed = TestSigner.Sign(SampleMessages.LogoutRequest(nameId: "user@evil.com.good.com"), TestKeys.SpRsa);
        XmlNode nameId = signed.SelectSingleNode("//saml:NameID", SampleMessages.Namespaces(signed))!;
        nameId.InnerXml = Split;

        (XmlElement? verified, SamlProblem? problem) = InboundPipeline.PostAndVerify(signed);

        Assert.Null(verified);
        Assert.Equal(SamlProblemCodes.UnsignedContent, problem?.Code);
    }

    [Fact]
    public void A_comment_inserted_into_a_Redirect_message_after_signing_fails_the_signature()
    {
        string signedQuery = MessageEncoder.ForRedirect(SampleMessages.LogoutRequest(nameId: "user@evil.com.good.com"), key: TestKeys.SpRsa);
        string tamperedMessage = MessageEncoder.ForRedirect(SampleMessages.LogoutRequest(nameId: Split));
        string tampered = tamperedMessage + "&" + string.Join('&', signedQuery.TrimStart('?').Split('&').Where(p => p.StartsWith("SigAlg=", StringComparison.Ordinal) || p.StartsWith("Signature=", StringComparison.Ordinal)));

        SamlReadResult read = SamlMessageReader.ReadRedirect(tampered, "SAMLRequest", MessageEncoder.MaxBytes);
        SignatureCheck check = SignatureVerifier.Verify(read.Message!, TestKeys.SpCertificates);

        Assert.Equal(SamlProblemCodes.BadSignature, check.Problem?.Code);
    }
}
