using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Slo;
using IdentityHub.Saml.Tests.Inbound;

namespace IdentityHub.Saml.Tests.Slo;

/// <summary>
/// An SP's SOAP answer to the hub's LogoutRequest (saml-profiles-2.0-os §4.4.4.2, saml-bindings-2.0-os §3.2): each check
/// of <see cref="SoapLogoutAnswer"/> has a case here that a removed check would let through.
/// </summary>
public sealed class SoapLogoutAnswerTests
{
    private const string RequestId = "_hub42";
    private const int MaxBytes = 64 * 1024;
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(3);

    [Fact]
    public void A_signed_Success_answering_the_request_confirms()
    {
        var outcome = Check(Envelope(Signed(Response())));

        Assert.True(outcome.Confirmed, outcome.Error);
        Assert.Equal(SamlStatus.Success, outcome.Status);
        Assert.False(outcome.Final);
    }

    [Fact]
    public void An_unsigned_Success_confirms_because_the_hub_called_the_registered_endpoint_itself()
    {
        Assert.True(Check(Envelope(Response())).Confirmed);
    }

    [Fact]
    public void A_response_signed_under_namespaces_the_envelope_declares_still_verifies_once_taken_out_of_the_envelope()
    {
        // The samlp and saml prefixes are declared on the Envelope only; the signature is made in place.
        var envelope = new XmlDocument { PreserveWhitespace = true };
        envelope.LoadXml($"""
            <soap:Envelope xmlns:soap="{SoapBinding.EnvelopeNamespace}" xmlns:samlp="{SamlNames.Protocol}" xmlns:saml="{SamlNames.Assertion}"><soap:Body>{Response(declare: false)}</soap:Body></soap:Envelope>
            """);
        var response = (XmlElement)envelope.GetElementsByTagName("LogoutResponse", SamlNames.Protocol)[0]!;
        TestSigner.SignElement(response, TestKeys.SpRsa);

        var outcome = Check(Encoding.UTF8.GetBytes(envelope.OuterXml));

        Assert.True(outcome.Confirmed, outcome.Error);
    }

    [Fact]
    public void A_response_signed_with_a_key_the_SP_did_not_register_is_refused()
    {
        var outcome = Check(Envelope(Signed(Response(), TestKeys.AttackerRsa)));

        Assert.False(outcome.Confirmed);
        Assert.Contains("does not verify", outcome.Error, StringComparison.Ordinal);
        Assert.False(outcome.Final);
    }

    [Fact]
    public void A_signed_refusal_turned_into_Success_after_signing_is_refused()
    {
        var signed = Signed(Response(status: $"""<samlp:StatusCode Value="{SamlStatus.Responder}"/>"""));
        var tampered = signed.Replace(SamlStatus.Responder, SamlStatus.Success, StringComparison.Ordinal);

        var outcome = Check(Envelope(tampered));

        Assert.False(outcome.Confirmed);
        Assert.Contains("does not verify", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_whose_Issuer_is_another_SP_is_refused_even_when_signed_with_this_SPs_key()
    {
        var outcome = Check(Envelope(Signed(Response(issuer: "https://other.agency.test/saml"))));

        Assert.False(outcome.Confirmed);
        Assert.Contains("Issuer", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_to_another_request_is_refused()
    {
        var outcome = Check(Envelope(Signed(Response(inResponseTo: "_an_earlier_attempt"))));

        Assert.False(outcome.Confirmed);
        Assert.Contains("InResponseTo", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PartialLogout_is_not_a_confirmation_and_is_final()
    {
        var outcome = Check(Envelope(Signed(Response(status:
            $"""<samlp:StatusCode Value="{SamlStatus.Success}"><samlp:StatusCode Value="{SamlStatus.PartialLogout}"/></samlp:StatusCode>"""))));

        Assert.False(outcome.Confirmed);
        Assert.True(outcome.Final);
        Assert.Equal(SamlStatus.Success + " " + SamlStatus.PartialLogout, outcome.Status);
    }

    [Fact]
    public void A_response_issued_long_ago_is_refused()
    {
        var old = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var outcome = Check(Envelope(Signed(Response(issueInstant: old))));

        Assert.False(outcome.Confirmed);
        Assert.NotNull(outcome.Error);
    }

    [Fact]
    public void A_SOAP_fault_is_reported_with_its_faultstring()
    {
        var outcome = Check(Encoding.UTF8.GetBytes($"""
            <soap:Envelope xmlns:soap="{SoapBinding.EnvelopeNamespace}"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>no such session</faultstring></soap:Fault></soap:Body></soap:Envelope>
            """));

        Assert.False(outcome.Confirmed);
        Assert.Equal("SOAP Fault: no such session", outcome.Error);
    }

    [Fact]
    public void A_request_in_the_Body_instead_of_a_LogoutResponse_is_refused()
    {
        var outcome = Check(Envelope(Signed(SampleMessages.LogoutRequest())));

        Assert.False(outcome.Confirmed);
        Assert.NotNull(outcome.Error);
    }

    [Fact]
    public void An_answer_that_is_not_a_SOAP_envelope_is_refused()
    {
        var outcome = Check(Encoding.UTF8.GetBytes(Signed(Response())));

        Assert.Contains("not a SOAP 1.1 Envelope", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Body_with_two_elements_is_refused()
    {
        var outcome = Check(Encoding.UTF8.GetBytes($"""
            <soap:Envelope xmlns:soap="{SoapBinding.EnvelopeNamespace}"><soap:Body>{Signed(Response())}{Signed(Response(id: "_lr2"))}</soap:Body></soap:Envelope>
            """));

        Assert.Contains("exactly one element", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_with_a_document_type_is_refused_before_parsing()
    {
        var body = $"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>{Encoding.UTF8.GetString(Envelope(Signed(Response())))}""";

        var outcome = Check(Encoding.UTF8.GetBytes(body));

        Assert.Contains("document type", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_past_the_size_limit_is_refused()
    {
        var padding = new string(' ', MaxBytes);
        var outcome = Check(Envelope(Signed(Response()) + padding));

        Assert.False(outcome.Confirmed);
        Assert.Contains("larger", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_envelope_the_hub_sends_carries_the_signed_request_byte_for_byte()
    {
        var request = SampleMessages.Parse(SampleMessages.LogoutRequest());
        TestSigner.SignElement(request.DocumentElement!, TestKeys.SpRsa);

        var envelope = SoapBinding.Envelope(request.DocumentElement!);

        Assert.StartsWith($"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"{SoapBinding.EnvelopeNamespace}\"><SOAP-ENV:Body>", envelope, StringComparison.Ordinal);
        Assert.Contains(request.DocumentElement!.OuterXml, envelope, StringComparison.Ordinal);
        var body = SoapBinding.Read(Encoding.UTF8.GetBytes(envelope), MaxBytes);
        Assert.Equal("LogoutRequest", body.Message?.DocumentElement?.LocalName);
    }

    private static SoapLogoutOutcome Check(byte[] answer) =>
        SoapLogoutAnswer.Check(answer, SampleMessages.SpEntityId, TestKeys.SpCertificates, RequestId, DateTimeOffset.UtcNow, Skew, MaxBytes);

    private static string Response(
        string id = "_lr1", string issuer = SampleMessages.SpEntityId, string inResponseTo = RequestId, string? status = null, string? issueInstant = null,
        bool declare = true) =>
        $"""
        <samlp:LogoutResponse{(declare ? $" xmlns:samlp=\"{SamlNames.Protocol}\" xmlns:saml=\"{SamlNames.Assertion}\"" : "")} ID="{id}" Version="2.0" IssueInstant="{issueInstant ?? SampleMessages.Now}" InResponseTo="{inResponseTo}"><saml:Issuer>{issuer}</saml:Issuer><samlp:Status>{status ?? $"""<samlp:StatusCode Value="{SamlStatus.Success}"/>"""}</samlp:Status></samlp:LogoutResponse>
        """;

    private static string Signed(string xml, AsymmetricAlgorithm? key = null) => TestSigner.Sign(xml, key ?? TestKeys.SpRsa).OuterXml;

    private static byte[] Envelope(string message) =>
        Encoding.UTF8.GetBytes($"""<soap:Envelope xmlns:soap="{SoapBinding.EnvelopeNamespace}"><soap:Body>{message}</soap:Body></soap:Envelope>""");
}
