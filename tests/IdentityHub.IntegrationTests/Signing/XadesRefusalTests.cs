using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Xades;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>Hostile or broken XML is refused with a stable code before anything is signed.</summary>
[Collection(HubCollection.Name)]
public sealed class XadesRefusalTests(HubFixture hub)
{
    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
        ]>
        <lolz>&lol9;</lolz>
        """;

    private const string ExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE doc [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <doc>&secret;</doc>
        """;

    [Theory]
    [InlineData(BillionLaughs)]
    [InlineData(ExternalEntity)]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE doc SYSTEM \"http://127.0.0.1:9/doc.dtd\"><doc/>")]
    public async Task XML_with_a_DTD_is_refused_as_xml_dtd(string xml)
    {
        var signer = await hub.IssueSignerAsync();
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync(Encoding.UTF8.GetBytes(xml), signer.Identity, SignatureLevel.BaselineT, CancellationToken.None));
        Assert.Equal(DocumentProblems.XmlDtd, refused.Code);
    }

    [Theory]
    [InlineData("<doc><unclosed></doc>")]
    [InlineData("not xml at all")]
    [InlineData("")]
    [InlineData("<a/><b/>")]
    [InlineData("%PDF-1.7\n")]
    public async Task Malformed_XML_is_refused_as_not_xml(string xml)
    {
        var signer = await hub.IssueSignerAsync();
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync(Encoding.UTF8.GetBytes(xml), signer.Identity, SignatureLevel.BaselineB, CancellationToken.None));
        Assert.Equal(DocumentProblems.NotXml, refused.Code);
    }

    [Fact]
    public async Task Documents_over_the_configured_size_limit_are_refused_as_too_large()
    {
        var signer = await hub.IssueSignerAsync();
        var limit = hub.App.Services.GetRequiredService<IOptions<SigningOptions>>().Value.MaxDocumentBytes;
        var xades = hub.App.Services.GetRequiredService<XadesSigner>();

        // Two files that together pass the limit by one byte: the limit is on what one signature covers.
        var half = new byte[(limit / 2) + 1];
        var detached = await Assert.ThrowsAsync<DocumentRejectedException>(() => xades.SignDetachedAsync(
            [new SignedFile("a.bin", "application/octet-stream", half), new SignedFile("b.bin", "application/octet-stream", half)],
            signer.Identity, SignatureLevel.BaselineB, CancellationToken.None));
        Assert.Equal(DocumentProblems.TooLarge, detached.Code);

        var xml = new byte[limit + 1];
        "<a>"u8.CopyTo(xml);
        var enveloped = await Assert.ThrowsAsync<DocumentRejectedException>(() => xades.SignEnvelopedAsync(
            xml, signer.Identity, SignatureLevel.BaselineB, CancellationToken.None));
        Assert.Equal(DocumentProblems.TooLarge, enveloped.Code);
    }
}
