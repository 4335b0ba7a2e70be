using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Asic;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>ASiC-E containers (ETSI EN 319 162-1) made on a real hub: the zip layout read byte by byte, the signature checked by xmlsec1.</summary>
[Collection(HubCollection.Name)]
public sealed class AsicContainerTests(HubFixture hub)
{
    private static readonly SignedFile[] Files =
    [
        new("application.pdf", "application/pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n" + new string('x', 5000) + "\n%%EOF\n")),
        new("annexes/photo 1.jpg", "image/jpeg", Enumerable.Range(0, 2048).Select(i => (byte)(i % 251)).ToArray()),
    ];

    [Theory]
    [InlineData(SignatureLevel.BaselineB)]
    [InlineData(SignatureLevel.BaselineT)]
    [InlineData(SignatureLevel.BaselineLT)]
    public async Task The_container_has_mimetype_first_and_stored_and_xmlsec1_verifies_its_signature_over_the_entries(SignatureLevel level)
    {
        var signer = await hub.IssueSignerAsync();
        var container = await hub.App.Services.GetRequiredService<AsicContainer>().CreateAsync(Files, signer.Identity, level, CancellationToken.None);

        // EN 319 162-1 §4.4.2 / A.1: the first local file header (PKZIP APPNOTE §4.3.7) is "mimetype", method 0
        // (stored), no extra field, and the media type follows at offset 38 uncompressed.
        var mediaType = "application/vnd.etsi.asic-e+zip"u8;
        Assert.Equal(0x04034b50u, BinaryPrimitives.ReadUInt32LittleEndian(container.AsSpan(0)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(container.AsSpan(8)));  // compression method
        Assert.Equal(mediaType.Length, (int)BinaryPrimitives.ReadUInt32LittleEndian(container.AsSpan(18))); // compressed size
        Assert.Equal(mediaType.Length, (int)BinaryPrimitives.ReadUInt32LittleEndian(container.AsSpan(22))); // uncompressed size
        Assert.Equal(8, BinaryPrimitives.ReadUInt16LittleEndian(container.AsSpan(26))); // name length
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(container.AsSpan(28))); // extra field length
        Assert.Equal("mimetype"u8.ToArray(), container.AsSpan(30, 8).ToArray());
        Assert.Equal(mediaType.ToArray(), container.AsSpan(38, mediaType.Length).ToArray());

        using (var zip = new ZipArchive(new MemoryStream(container), ZipArchiveMode.Read))
        {
            Assert.Equal(["mimetype", "application.pdf", "annexes/photo 1.jpg", "META-INF/manifest.xml", "META-INF/signatures0.xml"],
                zip.Entries.Select(e => e.FullName));
        }

        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "asic");
        await File.WriteAllBytesAsync(Path.Combine(dir, "container.asice"), container);
        var unzipped = await XadesTools.RunAsync(dir, "unzip", ["-q", "container.asice", "-d", "out"]);
        Assert.True(unzipped.ExitCode == 0, unzipped.All);
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(Files[1].Content.ToArray(), await File.ReadAllBytesAsync(Path.Combine(outDir, "annexes", "photo 1.jpg")));

        var signatures = XadesTools.Parse(await File.ReadAllBytesAsync(Path.Combine(outDir, "META-INF", "signatures0.xml")));
        Assert.Equal("XAdESSignatures", signatures.DocumentElement!.LocalName);
        Assert.Equal("http://uri.etsi.org/02918/v1.2.1#", signatures.DocumentElement.NamespaceURI);
        XadesTools.Single(signatures, "/asic:XAdESSignatures/ds:Signature/ds:SignedInfo/ds:Reference[@URI='application.pdf']");
        XadesTools.Single(signatures, "/asic:XAdESSignatures/ds:Signature/ds:SignedInfo/ds:Reference[@URI='annexes/photo%201.jpg']");

        // References are relative to the container root (EN 319 162-1 §4.4.3.2), not to META-INF/: map them for xmlsec1.
        var verified = await XadesTools.VerifyAsync(dir, Path.Combine("out", "META-INF", "signatures0.xml"), UrlMap(outDir));
        Assert.True(verified.ExitCode == 0, verified.All);

        // One flipped byte in an entry breaks it.
        var photo = Path.Combine(outDir, "annexes", "photo 1.jpg");
        var bytes = await File.ReadAllBytesAsync(photo);
        bytes[100] ^= 0x80;
        await File.WriteAllBytesAsync(photo, bytes);
        var refused = await XadesTools.VerifyAsync(dir, Path.Combine("out", "META-INF", "signatures0.xml"), UrlMap(outDir));
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("docs/../../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("docs\\file.txt")]
    [InlineData("mimetype")]
    [InlineData("META-INF/signatures1.xml")]
    [InlineData("meta-inf/manifest.xml")]
    [InlineData("docs//file.txt")]
    [InlineData("")]
    [InlineData("tab\tname.txt")]
    [InlineData("docs/./file.txt")]
    [InlineData("docs/")]
    public async Task Unsafe_entry_names_are_refused_and_nothing_is_signed(string name)
    {
        var signer = await hub.IssueSignerAsync();
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => hub.App.Services.GetRequiredService<AsicContainer>()
            .CreateAsync([Files[0], new SignedFile(name, "text/plain", "x"u8.ToArray())], signer.Identity, SignatureLevel.BaselineB, CancellationToken.None));
        Assert.Equal(DocumentProblems.UnsafeEntryName, refused.Code);
    }

    [Fact]
    public async Task Names_longer_than_255_characters_are_refused()
    {
        var signer = await hub.IssueSignerAsync();
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => hub.App.Services.GetRequiredService<AsicContainer>()
            .CreateAsync([new SignedFile(new string('a', 252) + ".txt", "text/plain", "x"u8.ToArray())], signer.Identity, SignatureLevel.BaselineB, CancellationToken.None));
        Assert.Equal(DocumentProblems.UnsafeEntryName, refused.Code);
    }

    [Fact]
    public async Task Duplicate_entry_names_are_refused_also_when_they_differ_only_in_case()
    {
        var signer = await hub.IssueSignerAsync();
        var containers = hub.App.Services.GetRequiredService<AsicContainer>();
        var same = await Assert.ThrowsAsync<DocumentRejectedException>(() => containers.CreateAsync(
            [Files[0], Files[0]], signer.Identity, SignatureLevel.BaselineB, CancellationToken.None));
        Assert.Equal(DocumentProblems.UnsafeEntryName, same.Code);
        var cased = await Assert.ThrowsAsync<DocumentRejectedException>(() => containers.CreateAsync(
            [Files[0], Files[0] with { Name = "Application.PDF" }], signer.Identity, SignatureLevel.BaselineB, CancellationToken.None));
        Assert.Equal(DocumentProblems.UnsafeEntryName, cased.Code);
    }

    // xmlsec1 looks a URI up in its map as it reads it, escaped or not depending on the version: map both spellings.
    private static string[] UrlMap(string outDir) =>
    [
        .. Files.SelectMany(f => new[] { IdentityHub.Signing.Xades.XadesSigner.UriOf(f.Name), f.Name }.Distinct()
            .SelectMany(uri => new[] { "--url-map:" + uri, Path.Combine(outDir, f.Name) })),
    ];
}
