using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Validation.Xades;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>Every XAdES file of the corpus read as DSS read it, wherever DSS's tests assert something.</summary>
public sealed class XadesCorpusTests
{
    public static TheoryData<string> XadesFiles => SignatureCorpus.Files("XAdES");

    [Theory]
    [MemberData(nameof(XadesFiles))]
    public async Task Evidence_agrees_with_DSS(string file)
    {
        var reader = new XadesReader(Options.Create(new SigningOptions()));
        ValidationInput input = SignatureCorpus.Input(file);
        Assert.True(reader.CanRead(input));

        IReadOnlyList<SignatureEvidence> signatures = await reader.ReadAsync(input, CancellationToken.None);

        CorpusAssert.AgreesWithDss(file, signatures);
    }

    [Fact]
    public async Task SignedProperties_removed_from_SignedInfo_is_caught_for_the_right_reason()
    {
        var reader = new XadesReader(Options.Create(new SigningOptions()));
        SignatureEvidence signature = Assert.Single(await reader.ReadAsync(SignatureCorpus.Input("xades/dss-signed-altered-signedPropsRemoved.xml"), CancellationToken.None));

        // DSS: the one data reference is found and intact, the signature value does not verify (SIG_CRYPTO_FAILURE), and
        // with no signed SignedProperties the signing-certificate reference is not signed (SIG_CONSTRAINTS_FAILURE).
        Assert.True(signature.DataIntact);
        Assert.False(signature.SignatureIntact);
        Assert.False(signature.SigningCertificateReferenceMatches);
        Assert.Equal(SignatureLevel.None, signature.ClaimedLevel);
        Assert.NotNull(signature.SigningCertificate);
    }

    [Fact]
    public async Task Lta_signature_carries_its_timestamps_and_validation_data()
    {
        var reader = new XadesReader(Options.Create(new SigningOptions()));
        SignatureEvidence signature = Assert.Single(await reader.ReadAsync(SignatureCorpus.Input("xades/data2sign-signed-xades-enveloped-baseline-lta.xml"), CancellationToken.None));

        TimestampEvidence stamp = Assert.Single(signature.SignatureTimestamps);
        Assert.True(stamp.ImprintMatches, stamp.Problem);
        TimestampEvidence archive = Assert.Single(signature.ArchiveTimestamps);
        Assert.True(archive.ImprintMatches, archive.Problem);
        Assert.NotEmpty(signature.OcspResponses);
        Assert.True(signature.Certificates.Count >= 3);
        Assert.NotNull(signature.ClaimedSigningTime);
        Assert.True(signature.SigningCertificateReferenceMatches);
    }

    [Fact]
    public async Task One_reader_serves_concurrent_validations()
    {
        var reader = new XadesReader(Options.Create(new SigningOptions()));
        string[] files = ["xades/data2sign-signed-xades-enveloped-baseline-lta.xml", "xades/10963_signed.xml", "xades/Signature-X-HU_MIC-1.xml"];

        IReadOnlyList<SignatureEvidence>[] results = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(i => Task.Run(() => reader.ReadAsync(SignatureCorpus.Input(files[i % files.Length]), CancellationToken.None))));

        Assert.All(results.SelectMany(r => r), s => Assert.True(s.DataIntact == true && s.SignatureIntact == true, s.DataProblem));
    }
}
