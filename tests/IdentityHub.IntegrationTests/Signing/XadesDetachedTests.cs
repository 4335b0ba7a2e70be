using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Xades;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>Detached XAdES over files (any bytes), the files named by relative URI, verified by xmlsec1 reading them from disk.</summary>
[Collection(HubCollection.Name)]
public sealed class XadesDetachedTests(HubFixture hub)
{
    private static readonly SignedFile[] Files =
    [
        new("contract.bin", "application/octet-stream", Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray()),
        new("notes v1.txt", "text/plain", Encoding.UTF8.GetBytes("Tere! Allkirjastatud märkmed.\n")),
    ];

    [Theory]
    [InlineData(SignatureLevel.BaselineB)]
    [InlineData(SignatureLevel.BaselineT)]
    [InlineData(SignatureLevel.BaselineLT)]
    public async Task Xmlsec1_accepts_the_detached_signature_over_the_files_beside_it(SignatureLevel level)
    {
        var signer = await hub.IssueSignerAsync();
        var signature = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignDetachedAsync(Files, signer.Identity, level, CancellationToken.None);
        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-det");
        foreach (var file in Files)
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, file.Name), file.Content.ToArray());
        }

        await File.WriteAllBytesAsync(Path.Combine(dir, "signature.xml"), signature);
        var verified = await XadesTools.VerifyAsync(dir, "signature.xml");
        Assert.True(verified.ExitCode == 0, verified.All);

        var document = XadesTools.Parse(signature);
        Assert.Equal("Signature", document.DocumentElement!.LocalName);
        XadesTools.Single(document, "//ds:SignedInfo/ds:Reference[@URI='contract.bin']");
        XadesTools.Single(document, "//ds:SignedInfo/ds:Reference[@URI='notes%20v1.txt']");
        XadesTools.Single(document, "//ds:SignedInfo/ds:Reference[@Type='http://uri.etsi.org/01903#SignedProperties']");
        var formats = document.SelectNodes("//xades:DataObjectFormat", XadesTools.Namespaces(document))!.Cast<System.Xml.XmlElement>().ToList();
        Assert.Equal(["application/octet-stream", "text/plain"], formats.Select(f => f.InnerText));
        foreach (var format in formats)
        {
            // Each DataObjectFormat points at the data reference it describes (EN 319 132-1 §5.2.4).
            XadesTools.Single(document, $"//ds:SignedInfo/ds:Reference[@Id='{format.GetAttribute("ObjectReference")[1..]}']");
        }
    }

    [Fact]
    public async Task Xmlsec1_refuses_the_detached_signature_once_one_byte_of_a_file_is_flipped()
    {
        var signer = await hub.IssueSignerAsync();
        var signature = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignDetachedAsync(Files, signer.Identity, SignatureLevel.BaselineB, CancellationToken.None);
        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-det-flip");
        foreach (var file in Files)
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, file.Name), file.Content.ToArray());
        }

        await File.WriteAllBytesAsync(Path.Combine(dir, "signature.xml"), signature);
        Assert.Equal(0, (await XadesTools.VerifyAsync(dir, "signature.xml")).ExitCode);

        var flipped = Files[0].Content.ToArray();
        flipped[1500] ^= 0x01;
        await File.WriteAllBytesAsync(Path.Combine(dir, Files[0].Name), flipped);
        var refused = await XadesTools.VerifyAsync(dir, "signature.xml");
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../outside.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("http://example.org/file.txt")]
    [InlineData("notes V1.TXT")] // the same file as "notes v1.txt" on a case-insensitive file system
    public async Task Names_that_would_not_resolve_to_one_file_beside_the_signature_are_refused(string name)
    {
        var signer = await hub.IssueSignerAsync();
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => hub.App.Services.GetRequiredService<XadesSigner>()
            .SignDetachedAsync([.. Files, new SignedFile(name, "text/plain", "x"u8.ToArray())], signer.Identity, SignatureLevel.BaselineB, CancellationToken.None));
        Assert.Equal(DocumentProblems.UnsafeEntryName, refused.Code);
    }
}
