using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Validation.Asic;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>Every ASiC container of the corpus read as DSS read it, and the known-bad ones bad for DSS's reason.</summary>
public sealed class AsicCorpusTests
{
    private static readonly IOptions<SigningOptions> Options = Microsoft.Extensions.Options.Options.Create(new SigningOptions());

    public static TheoryData<string> AsicFiles => SignatureCorpus.Files("ASiC-E", "ASiC-S");

    internal static ISignatureReader[] Readers() =>
        [new AsicEXadesReader(Options), new AsicECadesReader(Options), new AsicSXadesReader(Options), new AsicSCadesReader(Options)];

    internal static async Task<(ISignatureReader Reader, IReadOnlyList<SignatureEvidence> Signatures)> ReadAsync(ValidationInput input)
    {
        ISignatureReader reader = Assert.Single(Readers(), r => r.CanRead(input));
        return (reader, await reader.ReadAsync(input, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(AsicFiles))]
    public async Task Evidence_agrees_with_DSS(string file)
    {
        var (reader, signatures) = await ReadAsync(SignatureCorpus.Input(file));

        var entry = SignatureCorpus.Entry(file);
        Assert.Equal($"{entry.GetProperty("format").GetString()} ({entry.GetProperty("innerFormat").GetString()})", reader.Container);
        CorpusAssert.AgreesWithDss(file, signatures, allowFormatProblem: true);
        // DSS accepts a "mimetype" out of place; so does the hub, with a warning in the report (not a format failure).
        Assert.All(signatures, s => Assert.Equal(MimetypeOutOfPlace.Contains(file), s.Warnings.Any(w => w.Contains("mimetype", StringComparison.Ordinal))));
        Assert.All(signatures, s => Assert.False(s.FormatProblem?.Contains("mimetype", StringComparison.Ordinal) == true));
    }

    /// <summary>
    /// Corpus containers whose "mimetype" is not the first, stored entry (EN 319 162-1 §A.1). DSS validates them without
    /// complaint; this reader reports a format problem, as the hub's rules for containers require.
    /// </summary>
    private static readonly string[] MimetypeOutOfPlace = ["asic/ASICE-CAdES-BpLTA-2-BpLTA-DSS5.4.asice", "asic/brokenReference.asice"];

    [Fact]
    public async Task Broken_manifest_reference_is_a_hash_failure_of_that_file()
    {
        var (_, signatures) = await ReadAsync(SignatureCorpus.Input("asic/brokenReference.asice"));

        SignatureEvidence signature = Assert.Single(signatures);
        Assert.False(signature.DataIntact);
        Assert.Contains("test.text", signature.DataProblem, StringComparison.Ordinal);
        Assert.DoesNotContain("test2.text", signature.DataProblem, StringComparison.Ordinal);
        Assert.True(signature.SignatureIntact);
    }

    [Fact]
    public async Task File_removed_from_the_signed_package_is_a_message_digest_failure()
    {
        var (_, signatures) = await ReadAsync(SignatureCorpus.Input("asic/removed-doc.asics"));

        SignatureEvidence signature = Assert.Single(signatures);
        Assert.False(signature.DataIntact);
        Assert.Contains("message-digest", signature.DataProblem, StringComparison.Ordinal);
        Assert.False(signature.SignatureIntact);
        Assert.True(signature.SigningCertificateReferenceMatches);
        // DSS: the signature time-stamp's imprint is intact, the archive time-stamp's (which hashes the content) is not.
        Assert.True(Assert.Single(signature.SignatureTimestamps).ImprintMatches);
        Assert.False(Assert.Single(signature.ArchiveTimestamps).ImprintMatches);
    }

    [Fact]
    public async Task Container_archive_timestamps_first_fails_second_holds()
    {
        var (_, signatures) = await ReadAsync(SignatureCorpus.Input("asic/ASICE-CAdES-BpLTA-2-BpLTA-DSS5.4.asice"));

        SignatureEvidence signature = Assert.Single(signatures);
        Assert.True(signature.DataIntact, signature.DataProblem);
        Assert.True(signature.SignatureIntact);
        Assert.True(Assert.Single(signature.SignatureTimestamps).ImprintMatches);
        Assert.Equal(2, signature.ArchiveTimestamps.Count);
        // DSS: the first archive time-stamp (over ASiCArchiveManifest1.xml) is HASH_FAILURE, the second is not.
        Assert.False(signature.ArchiveTimestamps[0].ImprintMatches);
        Assert.Contains("ASiCArchiveManifest1.xml", signature.ArchiveTimestamps[0].Problem, StringComparison.Ordinal);
        Assert.True(signature.ArchiveTimestamps[1].ImprintMatches, signature.ArchiveTimestamps[1].Problem);
    }

    [Fact]
    public async Task Cades_archive_timestamp_v3_covers_the_signature()
    {
        var (_, signatures) = await ReadAsync(SignatureCorpus.Input("asic/dss1984.asics"));

        SignatureEvidence signature = Assert.Single(signatures);
        Assert.True(Assert.Single(signature.SignatureTimestamps).ImprintMatches);
        TimestampEvidence archive = Assert.Single(signature.ArchiveTimestamps);
        Assert.True(archive.ImprintMatches, archive.Problem);
    }
}
