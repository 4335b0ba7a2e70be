using System.Text;
using System.Xml;
using IdentityHub.Signing.Containers;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Tests.Containers;
using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>Good corpus containers rebuilt with one change: each check of the ASiC reader turns its flag.</summary>
public sealed class AsicMutationTests
{
    private const string Xades = "asic/DSS-2123.asice";
    private const string CadesE = "asic/ASICE-CAdES-BpLTA-2-BpLTA-DSS5.4.asice";
    private const string CadesS = "asic/dss1984.asics";

    /// <summary>The corpus container's entries rewritten in order, stored or deflated as before, with the changes applied.</summary>
    private static byte[] Rebuild(string file, Func<ZipContainerEntry, byte[]?>? change = null, Func<IEnumerable<ZipContainerEntry>, IEnumerable<ZipContainerEntry>>? reorder = null)
    {
        ZipContainer container = SafeZipReader.Read(SignatureCorpus.Read(file), new SigningOptions());
        var zip = new TestZip();
        foreach (ZipContainerEntry entry in (reorder ?? (e => e))(container.Entries))
        {
            byte[]? content = change is null ? entry.Content.ToArray() : change(entry);
            if (content is not null)
            {
                zip.Add(entry.Name, content, deflate: !entry.Stored);
            }
        }

        return zip.Build();
    }

    private static async Task<SignatureEvidence> ReadAsync(string file, byte[] container)
    {
        var (_, signatures) = await AsicCorpusTests.ReadAsync(new ValidationInput(Path.GetFileName(file), container, []));
        return Assert.Single(signatures);
    }

    [Theory]
    [InlineData(Xades)]
    [InlineData(CadesS)]
    public async Task Rebuilt_unchanged_holds(string file)
    {
        SignatureEvidence signature = await ReadAsync(file, Rebuild(file));

        Assert.True(signature.DataIntact, signature.DataProblem);
        Assert.True(signature.SignatureIntact);
        Assert.Null(signature.FormatProblem);
    }

    [Theory]
    [InlineData(Xades, "test.txt")]
    [InlineData(CadesE, "TEST-DOC.txt")]
    [InlineData(CadesS, "TEST-DOC.txt")]
    public async Task Altered_data_file_is_a_data_failure(string file, string dataFile)
    {
        SignatureEvidence signature = await ReadAsync(file, Rebuild(file, e => e.Name == dataFile ? Encoding.UTF8.GetBytes("altered") : e.Content.ToArray()));

        Assert.False(signature.DataIntact);
        Assert.Contains(file == CadesS ? "message-digest" : dataFile, signature.DataProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removed_data_file_is_not_found()
    {
        SignatureEvidence signature = await ReadAsync(Xades, Rebuild(Xades, e => e.Name == "test.txt" ? null : e.Content.ToArray()));

        Assert.False(signature.DataIntact);
        Assert.Contains("test.txt", signature.DataProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Altered_ecdsa_signature_value_is_not_intact()
    {
        byte[] container = Rebuild(Xades, e =>
        {
            if (e.Name != "META-INF/signatures0.xml")
            {
                return e.Content.ToArray();
            }

            XmlDocument document = XmlMutation.Load(e.Content.ToArray());
            XmlMutation.FlipBase64(XmlMutation.Select(document, "//ds:SignatureValue"));
            return XmlMutation.Save(document);
        });

        SignatureEvidence signature = await ReadAsync(Xades, container);

        Assert.True(signature.DataIntact, signature.DataProblem);
        Assert.False(signature.SignatureIntact);
    }

    [Fact]
    public async Task Mimetype_not_first_is_a_warning_as_in_DSS()
    {
        byte[] container = Rebuild(Xades, reorder: entries => entries.OrderBy(e => e.Name == "mimetype"));

        SignatureEvidence signature = await ReadAsync(Xades, container);

        Assert.Null(signature.FormatProblem);
        Assert.Contains(signature.Warnings, w => w.Contains("mimetype", StringComparison.Ordinal));
        Assert.True(signature.DataIntact);
    }

    [Fact]
    public async Task Mimetype_of_another_container_type_is_a_format_problem()
    {
        byte[] container = Rebuild(Xades, e => e.Name == "mimetype" ? Encoding.ASCII.GetBytes("application/vnd.etsi.asic-s+zip") : e.Content.ToArray());

        SignatureEvidence signature = await ReadAsync(Xades, container);

        Assert.Contains("asic-s", signature.FormatProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cades_signature_without_its_manifest_is_a_format_problem()
    {
        byte[] container = Rebuild(CadesE, e => e.Name == "META-INF/ASiCManifest.xml" ? null : e.Content.ToArray());

        SignatureEvidence signature = await ReadAsync(CadesE, container);

        Assert.Contains("ASiCManifest", signature.FormatProblem, StringComparison.Ordinal);
        Assert.Null(signature.DataIntact);
    }

    [Fact]
    public async Task Altered_archive_manifest_fails_its_timestamp()
    {
        // timestamp002 covers the bytes of ASiCArchiveManifest.xml: one changed digest character breaks its imprint.
        byte[] container = Rebuild(CadesE, e => e.Name == "META-INF/ASiCArchiveManifest.xml"
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(e.Content.Span).Replace("ST6FrSrC", "ST6FrSrD", StringComparison.Ordinal))
            : e.Content.ToArray());

        SignatureEvidence signature = await ReadAsync(CadesE, container);

        Assert.False(signature.ArchiveTimestamps[1].ImprintMatches);
        Assert.True(signature.DataIntact, signature.DataProblem);
    }

    [Fact]
    public async Task Zip_bomb_in_a_container_is_refused()
    {
        byte[] bomb = new TestZip()
            .Add("mimetype", "application/vnd.etsi.asic-e+zip", deflate: false)
            .Add("doc.bin", new byte[16 << 20], declaredSize: 100)
            .Add("META-INF/signatures0.xml", "<x/>")
            .Build();

        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => AsicCorpusTests.ReadAsync(new ValidationInput("bomb.asice", bomb, [])));

        Assert.Equal(DocumentProblems.ZipBomb, refused.Code);
    }

    [Fact]
    public async Task Signatures_file_with_a_dtd_is_that_signatures_format_problem()
    {
        byte[] container = Rebuild(Xades, e => e.Name == "META-INF/signatures0.xml"
            ? Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>")
            : e.Content.ToArray());

        SignatureEvidence signature = await ReadAsync(Xades, container);

        Assert.Contains("DTD", signature.FormatProblem, StringComparison.Ordinal);
        Assert.Null(signature.DataIntact);
    }

    [Fact]
    public async Task Traversal_name_in_a_container_is_refused()
    {
        byte[] zip = new TestZip()
            .Add("mimetype", "application/vnd.etsi.asic-e+zip", deflate: false)
            .Add("../../etc/cron.d/x", "evil")
            .Add("META-INF/signatures0.xml", "<x/>")
            .Build();

        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => AsicCorpusTests.ReadAsync(new ValidationInput("evil.asice", zip, [])));

        Assert.Equal(DocumentProblems.UnsafeEntryName, refused.Code);
    }

    [Fact]
    public async Task Certificate_removed_after_the_archive_timestamp_fails_its_hash_index()
    {
        byte[] container = Rebuild(CadesS, e =>
        {
            if (e.Name != "META-INF/signature.p7s")
            {
                return e.Content.ToArray();
            }

            var cms = new Org.BouncyCastle.Cms.CmsSignedData(e.Content.ToArray());
            var certificates = cms.GetCertificates().EnumerateMatches(null).ToList();
            var fewer = Org.BouncyCastle.Utilities.Collections.CollectionUtilities.CreateStore(certificates.Skip(1).ToList());
            return Org.BouncyCastle.Cms.CmsSignedData.ReplaceCertificatesAndCrls(cms, fewer, cms.GetCrls(), cms.GetAttributeCertificates()).GetEncoded();
        });

        SignatureEvidence signature = await ReadAsync(CadesS, container);

        TimestampEvidence archive = Assert.Single(signature.ArchiveTimestamps);
        Assert.False(archive.ImprintMatches);
        Assert.Contains("certificate", archive.Problem, StringComparison.Ordinal);
    }
}
