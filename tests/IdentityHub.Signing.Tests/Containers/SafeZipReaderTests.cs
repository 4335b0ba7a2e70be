using IdentityHub.Signing.Containers;
using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Tests.Containers;

/// <summary>The container reader's limits and name rules, each shown by a zip that breaks exactly one of them.</summary>
public sealed class SafeZipReaderTests
{
    private static readonly SigningOptions Limits = new();

    private static string Refusal(byte[] zip, SigningOptions? limits = null) =>
        Assert.Throws<DocumentRejectedException>(() => SafeZipReader.Read(zip, limits ?? Limits)).Code;

    private static TestZip Asice() => new TestZip()
        .Add("mimetype", "application/vnd.etsi.asic-e+zip", deflate: false)
        .Add("doc.txt", "hello")
        .Add("META-INF/manifest.xml", "<manifest/>");

    [Fact]
    public void Reads_entries_in_order_and_reports_the_mimetype()
    {
        ZipContainer container = SafeZipReader.Read(Asice().Build(), Limits);

        Assert.Equal(["mimetype", "doc.txt", "META-INF/manifest.xml"], container.Entries.Select(e => e.Name));
        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(container.Find("doc.txt")!.Content.Span));
        Assert.True(container.MimetypeFirst);
        Assert.True(container.MimetypeStored);
        Assert.Equal("application/vnd.etsi.asic-e+zip", container.Mimetype);
    }

    [Fact]
    public void Reports_a_deflated_mimetype_that_is_not_first()
    {
        ZipContainer container = SafeZipReader.Read(new TestZip().Add("doc.txt", "hello").Add("mimetype", "application/vnd.etsi.asic-e+zip", deflate: true).Build(), Limits);

        Assert.False(container.MimetypeFirst);
        Assert.False(container.MimetypeStored);
    }

    [Fact]
    public void Too_many_entries_are_refused_from_the_end_record()
    {
        var zip = new TestZip();
        for (int i = 0; i < 6; i++)
        {
            zip.Add($"f{i}.txt", "x");
        }

        Assert.Equal(DocumentProblems.ZipBomb, Refusal(zip.Build(), new SigningOptions { MaxContainerEntries = 5 }));
        Assert.Equal(6, SafeZipReader.Read(zip.Build(), new SigningOptions { MaxContainerEntries = 6 }).Entries.Count);
    }

    [Fact]
    public void Declared_expanded_size_above_the_limit_is_refused_before_inflating()
    {
        byte[] zip = new TestZip().Add("a.txt", new byte[600]).Add("b.txt", new byte[600]).Build();

        Assert.Equal(DocumentProblems.ZipBomb, Refusal(zip, new SigningOptions { MaxContainerExpandedBytes = 1024, MaxCompressionRatio = 100_000 }));
    }

    [Fact]
    public void High_compression_ratio_is_refused()
    {
        byte[] zip = new TestZip().Add("zeros.bin", new byte[1 << 20]).Build();

        Assert.Equal(DocumentProblems.ZipBomb, Refusal(zip));
        Assert.Single(SafeZipReader.Read(zip, new SigningOptions { MaxCompressionRatio = 100_000 }).Entries);
    }

    [Fact]
    public void Entry_inflating_beyond_its_lying_header_is_refused_and_stops_at_the_limit()
    {
        // 64 MiB of zeros deflate to ~64 KB; the headers claim 1000 bytes, so every declared limit is met.
        byte[] zip = new TestZip().Add("bomb.bin", new byte[64 << 20], declaredSize: 1000).Build();
        long before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(DocumentProblems.ZipBomb, Refusal(zip));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "the reader inflated past the declared size");
    }

    [Fact]
    public void Entry_shorter_than_declared_is_refused()
    {
        byte[] zip = new TestZip().Add("short.txt", "hello".Select(c => (byte)c).ToArray(), declaredSize: 50).Build();

        Assert.Equal(DocumentProblems.NotContainer, Refusal(zip));
    }

    [Fact]
    public void Overlapping_entries_are_refused()
    {
        byte[] zip = new TestZip().Add("a.txt", "hello").Add("b.txt", "ignored"u8.ToArray(), pointAtEntry: 0).Build();

        Assert.Equal(DocumentProblems.ZipBomb, Refusal(zip));
    }

    [Fact]
    public void Crc_mismatch_is_refused()
    {
        byte[] zip = new TestZip().Add("a.txt", "hello"u8.ToArray(), crc: 12345).Build();

        Assert.Equal(DocumentProblems.NotContainer, Refusal(zip));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("META-INF/../../evil.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("dir\\evil.txt")]
    [InlineData("C:evil.txt")]
    [InlineData("a//b.txt")]
    [InlineData("./a.txt")]
    public void Unsafe_names_are_refused(string name)
    {
        Assert.Equal(DocumentProblems.UnsafeEntryName, Refusal(new TestZip().Add("ok.txt", "x").Add(name, "x").Build()));
    }

    [Theory]
    [InlineData("doc.txt")]
    [InlineData("DOC.TXT")]
    public void Duplicate_names_are_refused(string second)
    {
        Assert.Equal(DocumentProblems.UnsafeEntryName, Refusal(new TestZip().Add("doc.txt", "a").Add(second, "b").Build()));
    }

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2d })]
    [InlineData(new byte[0])]
    public void Not_a_zip_is_not_a_container(byte[] bytes)
    {
        Assert.Equal(DocumentProblems.NotContainer, Refusal(bytes));
    }

    [Fact]
    public void Truncated_archive_is_not_a_container()
    {
        byte[] zip = Asice().Build();

        Assert.Equal(DocumentProblems.NotContainer, Refusal(zip[..^30]));
    }
}
