using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Validation.Xades;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>Hostile XML is refused with a stable code, and nothing a document names is ever fetched.</summary>
public sealed class HostileXmlTests
{
    private static readonly XadesReader Reader = new(Options.Create(new SigningOptions()));

    private static Task<IReadOnlyList<SignatureEvidence>> ReadAsync(string xml) =>
        Reader.ReadAsync(new ValidationInput("hostile.xml", Encoding.UTF8.GetBytes(xml), []), CancellationToken.None);

    [Fact]
    public async Task Billion_laughs_is_refused_as_a_DTD()
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10)).Replace("&lol0;", "&lol;", StringComparison.Ordinal)}\">");
        }

        xml.Append("]><lolz>&lol9;</lolz>");
        long before = GC.GetAllocatedBytesForCurrentThread();

        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => ReadAsync(xml.ToString()));

        Assert.Equal(DocumentProblems.XmlDtd, refused.Code);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the entities were expanded");
    }

    [Fact]
    public async Task External_entity_is_refused_as_a_DTD_and_not_read()
    {
        string secret = Path.Combine(Path.GetTempPath(), $"xxe-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(secret, "secret");
        try
        {
            var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
                ReadAsync($"<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file://{secret}\">]><r>&x;</r>"));

            Assert.Equal(DocumentProblems.XmlDtd, refused.Code);
            Assert.DoesNotContain("secret", refused.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task Malformed_xml_is_not_xml()
    {
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => ReadAsync("<a><b></a>"));

        Assert.Equal(DocumentProblems.NotXml, refused.Code);
    }

    [Fact]
    public async Task Xml_without_signature_has_no_signature()
    {
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => ReadAsync("<a/>"));

        Assert.Equal(DocumentProblems.NoSignature, refused.Code);
    }

    [Fact]
    public async Task Document_over_the_size_limit_is_refused_before_parsing()
    {
        var reader = new XadesReader(Options.Create(new SigningOptions { MaxDocumentBytes = 2048 }));
        byte[] big = Encoding.UTF8.GetBytes("<a>" + new string('x', 4096) + "</a>");

        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => reader.ReadAsync(new ValidationInput("big.xml", big, []), CancellationToken.None));

        Assert.Equal(DocumentProblems.TooLarge, refused.Code);
    }

    [Fact]
    public async Task Reference_to_a_web_address_is_never_fetched()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        XmlDocument document = XmlMutation.Load(SignatureCorpus.Read("xades/data2sign-signed-xades-enveloped-baseline-lta.xml"));
        ((XmlElement)XmlMutation.Select(document, "//ds:SignedInfo/ds:Reference[1]")).SetAttribute("URI", $"http://127.0.0.1:{port}/document.xml");

        SignatureEvidence signature = await XmlMutation.ReadAsync(XmlMutation.Save(document));

        Assert.False(signature.DataIntact);
        Assert.Contains("nothing is fetched", signature.DataProblem, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "the reader connected to the referenced address");
    }

    [Fact]
    public async Task Reference_to_a_local_file_is_never_read()
    {
        XmlDocument document = XmlMutation.Load(SignatureCorpus.Read("xades/data2sign-signed-xades-enveloped-baseline-lta.xml"));
        ((XmlElement)XmlMutation.Select(document, "//ds:SignedInfo/ds:Reference[1]")).SetAttribute("URI", "file:///etc/passwd");

        SignatureEvidence signature = await XmlMutation.ReadAsync(XmlMutation.Save(document));

        Assert.False(signature.DataIntact);
        Assert.Contains("nothing is fetched", signature.DataProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_signatures_are_refused()
    {
        string signature = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>";
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            ReadAsync("<r>" + string.Concat(Enumerable.Repeat(signature, XadesReader.MaxSignatures + 1)) + "</r>"));

        Assert.Equal(DocumentProblems.TooLarge, refused.Code);
    }
}
