using System.Security.Cryptography;
using System.Text;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Tests.Inbound;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Bindings;

/// <summary>Rules 2 and 3: HTTP-Redirect (saml-bindings-2.0-os §3.4), DEFLATE and the query signature.</summary>
public sealed class RedirectBindingTests
{
    private const int Max = MessageEncoder.MaxBytes;

    private static SignatureCheck Verify(SamlReadResult read) => SignatureVerifier.Verify(read.Message!, TestKeys.SpCertificates);

    [Theory]
    [InlineData("rsa", false)]
    [InlineData("ecdsa", false)]
    [InlineData("ecdsa", true)]
    public void A_signed_AuthnRequest_sent_by_HTTP_Redirect_is_read_and_verified(string keyKind, bool ecdsaDer)
    {
        AsymmetricAlgorithm key = keyKind == "rsa" ? TestKeys.SpRsa : TestKeys.SpEcdsa;
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), relayState: "state/1 2", key: key, ecdsaDer: ecdsaDer);

        SamlReadResult read = SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max);
        SignatureCheck check = Verify(read);

        Assert.True(read.Succeeded, read.Problem?.Detail);
        Assert.Equal(SamlBindings.HttpRedirect, read.Message!.Binding);
        Assert.Equal("state/1 2", read.Message.RelayState);
        Assert.Equal("AuthnRequest", read.Message.Root.LocalName);
        Assert.True(check.Signed);
        Assert.Null(check.Problem);
        Assert.Same(read.Message.Root, check.VerifiedRoot);
    }

    [Fact]
    public void A_LogoutResponse_in_SAMLResponse_is_read_and_an_unsigned_one_reported_unsigned()
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.LogoutResponse(), parameter: "SAMLResponse");

        SamlReadResult read = SamlMessageReader.ReadRedirect(query, "SAMLResponse", Max);
        SignatureCheck check = Verify(read);

        Assert.Equal("LogoutResponse", read.Message!.Root.LocalName);
        Assert.Null(read.Message.QuerySignature);
        Assert.False(check.Signed);
        Assert.Null(check.Problem);
    }

    [Fact]
    public void The_signed_octets_are_the_parameters_as_the_SP_encoded_them_not_re_encoded()
    {
        // An SP whose encoder writes lowercase percent-escapes: re-encoding would give uppercase and other octets.
        static string LowercaseEncoder(string value) =>
            System.Text.RegularExpressions.Regex.Replace(Uri.EscapeDataString(value), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), relayState: "https://sp/x?y=1", key: TestKeys.SpRsa, encode: LowercaseEncoder);
        Assert.Contains("%2f", query, StringComparison.Ordinal);

        SamlReadResult read = SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max);

        Assert.StartsWith("SAMLRequest=", Encoding.ASCII.GetString(read.Message!.QuerySignature!.SignedOctets), StringComparison.Ordinal);
        Assert.Contains("&RelayState=https%3a%2f%2fsp", Encoding.ASCII.GetString(read.Message.QuerySignature.SignedOctets), StringComparison.Ordinal);
        Assert.Null(Verify(read).Problem);
    }

    [Fact]
    public void A_RelayState_changed_after_signing_is_refused()
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), relayState: "good", key: TestKeys.SpRsa)
            .Replace("RelayState=good", "RelayState=evil", StringComparison.Ordinal);

        SignatureCheck check = Verify(SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max));

        Assert.Equal(SamlProblemCodes.BadSignature, check.Problem?.Code);
    }

    [Fact]
    public void A_RelayState_added_after_signing_is_refused()
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), key: TestKeys.SpRsa) + "&RelayState=added";

        SignatureCheck check = Verify(SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max));

        Assert.Equal(SamlProblemCodes.BadSignature, check.Problem?.Code);
    }

    [Fact]
    public void A_query_signed_by_another_key_is_refused()
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), key: TestKeys.AttackerRsa);

        SignatureCheck check = Verify(SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max));

        Assert.Null(check.VerifiedRoot);
        Assert.Equal(SamlProblemCodes.BadSignature, check.Problem?.Code);
    }

    [Theory]
    [InlineData("SAMLRequest")]
    [InlineData("RelayState")]
    [InlineData("SigAlg")]
    [InlineData("Signature")]
    public void A_parameter_that_appears_twice_is_refused(string parameter)
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), relayState: "r", key: TestKeys.SpRsa);
        string repeated = query.TrimStart('?').Split('&').First(p => p.StartsWith(parameter + "=", StringComparison.Ordinal));

        SamlReadResult read = SamlMessageReader.ReadRedirect(query + "&" + repeated, "SAMLRequest", Max);

        Assert.False(read.Succeeded);
        Assert.Equal(SamlProblemCodes.DuplicateParameter, read.Problem?.Code);
    }

    [Fact]
    public void A_SHA1_SigAlg_is_refused_even_when_the_signature_is_valid()
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), key: TestKeys.SpRsa, sigAlg: "http://www.w3.org/2000/09/xmldsig#rsa-sha1");

        SignatureCheck check = Verify(SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max));

        Assert.Equal(SamlProblemCodes.AlgorithmNotAllowed, check.Problem?.Code);
    }

    [Fact]
    public void A_Signature_without_SigAlg_is_refused()
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), key: TestKeys.SpRsa);
        string withoutSigAlg = string.Join('&', query.TrimStart('?').Split('&').Where(p => !p.StartsWith("SigAlg=", StringComparison.Ordinal)));

        SamlReadResult read = SamlMessageReader.ReadRedirect(withoutSigAlg, "SAMLRequest", Max);

        Assert.Equal(SamlProblemCodes.IncompleteSignature, read.Problem?.Code);
    }

    [Fact]
    public void A_Redirect_message_that_also_carries_an_XML_signature_is_refused()
    {
        string signedXml = TestSigner.Sign(SampleMessages.AuthnRequest(), TestKeys.SpRsa).OuterXml;

        SamlReadResult read = SamlMessageReader.ReadRedirect(MessageEncoder.ForRedirect(signedXml, key: TestKeys.SpRsa), "SAMLRequest", Max);

        Assert.Equal(SamlProblemCodes.SignatureInRedirect, read.Problem?.Code);
    }

    [Fact]
    public void An_encoding_other_than_DEFLATE_is_refused_and_DEFLATE_named_explicitly_is_accepted()
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest());

        SamlReadResult other = SamlMessageReader.ReadRedirect(query + "&SAMLEncoding=urn%3Aexample%3Agzip", "SAMLRequest", Max);
        SamlReadResult deflate = SamlMessageReader.ReadRedirect(query + "&SAMLEncoding=" + Uri.EscapeDataString(SamlBindings.DeflateEncoding), "SAMLRequest", Max);

        Assert.Equal(SamlProblemCodes.UnsupportedEncoding, other.Problem?.Code);
        Assert.True(deflate.Succeeded);
    }

    [Fact]
    public void A_zlib_wrapped_message_is_refused_as_not_raw_DEFLATE()
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal))
        {
            zlib.Write(Encoding.UTF8.GetBytes(SampleMessages.AuthnRequest()));
        }

        string query = "SAMLRequest=" + Uri.EscapeDataString(Convert.ToBase64String(output.ToArray()));

        SamlReadResult read = SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max);

        Assert.Equal(SamlProblemCodes.NotDeflated, read.Problem?.Code);
    }

    [Fact]
    public void A_deflate_bomb_stops_at_the_size_cap()
    {
        // 50 MB of one repeated request inflates from a few tens of kilobytes.
        byte[] bomb = MessageEncoder.Deflate(new byte[50 * 1024 * 1024]);
        Assert.True(bomb.Length < Max);
        string query = "SAMLRequest=" + Uri.EscapeDataString(Convert.ToBase64String(bomb));

        SamlReadResult read = SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max);

        Assert.Equal(SamlProblemCodes.TooLarge, read.Problem?.Code);
    }

    [Fact]
    public void A_message_just_over_the_cap_once_inflated_is_refused_and_one_under_it_read()
    {
        string padding(int n) => "<samlp:Extensions><x:P xmlns:x=\"urn:x\">" + new string('a', n) + "</x:P></samlp:Extensions>";
        string request = SampleMessages.AuthnRequest();
        int room = 4096 - Encoding.UTF8.GetByteCount(request) - Encoding.UTF8.GetByteCount(padding(0));
        string under = request.Replace("<samlp:NameIDPolicy", padding(room - 10) + "<samlp:NameIDPolicy", StringComparison.Ordinal).Replace("<samlp:Extensions><x:Note xmlns:x=\"urn:test:ext\">hello</x:Note></samlp:Extensions>", "", StringComparison.Ordinal);
        string over = under.Replace("aaaa", "aaaaa" + new string('a', 200), StringComparison.Ordinal);

        Assert.True(SamlMessageReader.ReadRedirect(MessageEncoder.ForRedirect(under), "SAMLRequest", 4096).Succeeded);
        Assert.Equal(SamlProblemCodes.TooLarge, SamlMessageReader.ReadRedirect(MessageEncoder.ForRedirect(over), "SAMLRequest", 4096).Problem?.Code);
    }

    [Theory]
    [InlineData("not*base64")]
    [InlineData("QUJD%20REVG")]
    public void A_message_that_is_not_base64_is_refused(string value)
    {
        SamlReadResult read = SamlMessageReader.ReadRedirect("SAMLRequest=" + value, "SAMLRequest", Max);

        Assert.Equal(SamlProblemCodes.BadBase64, read.Problem?.Code);
    }

    [Fact]
    public void A_RelayState_over_80_bytes_is_refused()
    {
        string query = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest(), relayState: new string('r', 81));

        Assert.Equal(SamlProblemCodes.RelayStateTooLong, SamlMessageReader.ReadRedirect(query, "SAMLRequest", Max).Problem?.Code);
    }

    [Fact]
    public void A_query_with_both_SAMLRequest_and_SAMLResponse_or_neither_is_refused()
    {
        string request = MessageEncoder.ForRedirect(SampleMessages.AuthnRequest());
        string response = MessageEncoder.ForRedirect(SampleMessages.LogoutResponse(), parameter: "SAMLResponse");

        Assert.Equal(SamlProblemCodes.MissingMessage, SamlMessageReader.ReadRedirect(request + "&" + response, "SAMLRequest", Max).Problem?.Code);
        Assert.Equal(SamlProblemCodes.MissingMessage, SamlMessageReader.ReadRedirect("RelayState=x", "SAMLRequest", Max).Problem?.Code);
    }
}
