using System.Text;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Tests.Inbound;

namespace IdentityHub.Saml.Tests.Bindings;

/// <summary>Rule 2 for HTTP-POST (saml-bindings-2.0-os §3.5): base64 of the XML, capped as received.</summary>
public sealed class PostBindingTests
{
    [Fact]
    public void A_posted_message_is_read_with_its_RelayState()
    {
        string form = Convert.ToBase64String(Encoding.UTF8.GetBytes(SampleMessages.LogoutRequest()));

        SamlReadResult read = SamlMessageReader.ReadPost(form, "rs-1", MessageEncoder.MaxBytes);

        Assert.True(read.Succeeded);
        Assert.Equal(SamlBindings.HttpPost, read.Message!.Binding);
        Assert.Equal("rs-1", read.Message.RelayState);
        Assert.Equal("LogoutRequest", read.Message.Root.LocalName);
        Assert.Same(read.Message.Document.DocumentElement, read.Message.Root);
        Assert.True(read.Message.Document.PreserveWhitespace);
    }

    [Fact]
    public void Base64_wrapped_at_76_columns_is_read()
    {
        string form = Convert.ToBase64String(Encoding.UTF8.GetBytes(SampleMessages.LogoutRequest()), Base64FormattingOptions.InsertLineBreaks);
        Assert.Contains('\n', form);

        Assert.True(SamlMessageReader.ReadPost(form, null, MessageEncoder.MaxBytes).Succeeded);
    }

    [Fact]
    public void A_posted_message_larger_than_the_cap_is_refused_before_decoding()
    {
        string form = Convert.ToBase64String(Encoding.UTF8.GetBytes(SampleMessages.AuthnRequest()));

        SamlReadResult read = SamlMessageReader.ReadPost(form, null, form.Length - 1);

        Assert.Equal(SamlProblemCodes.TooLarge, read.Problem?.Code);
        Assert.True(SamlMessageReader.ReadPost(form, null, form.Length).Succeeded);
    }

    [Theory]
    [InlineData("PHNhbWxwOg==!!")]
    [InlineData("PHNhbW xwOg==")]
    public void A_posted_message_that_is_not_base64_is_refused(string form)
    {
        Assert.Equal(SamlProblemCodes.BadBase64, SamlMessageReader.ReadPost(form, null, MessageEncoder.MaxBytes).Problem?.Code);
    }

    [Fact]
    public void A_form_without_a_message_is_refused()
    {
        Assert.Equal(SamlProblemCodes.MissingMessage, SamlMessageReader.ReadPost(null, "x", MessageEncoder.MaxBytes).Problem?.Code);
    }

    [Fact]
    public void Garbage_that_decodes_to_no_XML_is_a_problem_not_an_exception()
    {
        SamlReadResult read = SamlMessageReader.ReadPost(Convert.ToBase64String([0xFF, 0x00, 0x3C, 0x01]), null, MessageEncoder.MaxBytes);

        Assert.False(read.Succeeded);
        Assert.Equal(SamlStatus.Requester, read.Problem!.StatusCode);
    }

    [Fact]
    public void A_RelayState_over_80_bytes_is_refused()
    {
        string form = Convert.ToBase64String(Encoding.UTF8.GetBytes(SampleMessages.LogoutRequest()));

        Assert.Equal(SamlProblemCodes.RelayStateTooLong, SamlMessageReader.ReadPost(form, new string('é', 41), MessageEncoder.MaxBytes).Problem?.Code);
    }
}
