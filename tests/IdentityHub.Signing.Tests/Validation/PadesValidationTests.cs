using IdentityHub.Signing.Tests.Validation.Inputs;
using IdentityHub.Signing.Validation;
using Org.BouncyCastle.Cms;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>
/// PDF signatures made by the test (its own PDF writer, BouncyCastle CMS, an in-process PKI), validated by the PAdES
/// reader and the assessor; every negative case mutates a valid signature and fails if the check it targets is removed.
/// </summary>
public sealed class PadesValidationTests
{
    private readonly TestPki _pki = new();

    internal static async Task<byte[]> SignedPdfAsync(TestPki pki, Func<byte[], byte[], byte[]>? sign = null, DateTime? timestampAt = null)
    {
        var pdf = TestPdf.Prepare();
        // With a CRL that does not list the signer: its status is known (good), as an LT-level signature carries it.
        var cms = sign?.Invoke(pdf.SignedBytes, []) ?? TestCms.SignDetached(pdf.SignedBytes, pki.SignerFactory, pki.Signer, pki.Chain, crls: [pki.Crl(null)]);
        if (timestampAt is { } at)
        {
            cms = await TestCms.AddSignatureTimestampAsync(cms, signature => Task.FromResult(pki.TimeStamp(signature, at)));
        }

        return pdf.Complete(cms);
    }

    private async Task<SignatureReport> ValidateAsync(byte[] pdf, bool trustRoot = true, DateTimeOffset? at = null)
    {
        var (_, reports) = await OfflineValidator.ValidateAsync(OfflineValidator.Input("signed.pdf", pdf), trustRoot ? [_pki.Root.GetEncoded()] : [], at);
        return Assert.Single(reports);
    }

    [Fact]
    public async Task A_good_signature_is_total_passed_at_B_B_with_its_field_name_and_revision()
    {
        var report = await ValidateAsync(await SignedPdfAsync(_pki));

        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.Null(report.SubIndication);
        Assert.Equal(SignatureLevel.BaselineB, report.Level);
        Assert.Equal("Signature1", report.Id);
        Assert.True(report.DataIntact);
        Assert.True(report.SignatureIntact);
        Assert.True(report.ChainTrusted);
        Assert.Equal(DateTimeOffset.UtcNow, report.ClaimedSigningTime!.Value, TimeSpan.FromMinutes(2)); // CMS signing-time wins over /M
        Assert.StartsWith("revision 1 of 1", report.SignedObjects[0], StringComparison.Ordinal);
        Assert.Equal(["CN=Test Signer", "CN=Test Root"], report.Chain.Select(c => c.Subject));
    }

    [Fact]
    public async Task A_signature_time_stamp_gives_B_T_and_the_proven_signing_time()
    {
        // No revocation data (a CRL inside the CMS would make it LT-shaped): the level is B-T, the time is proven, and
        // the signer's status is unknown, so the signature is not accepted yet.
        var at = DateTime.UtcNow.AddMinutes(-5);
        var report = await ValidateAsync(await SignedPdfAsync(_pki, (bytes, _) => TestCms.SignDetached(bytes, _pki.SignerFactory, _pki.Signer, _pki.Chain), at));

        Assert.True(Indication.Indeterminate == report.Indication, string.Join(" | ", report.Messages));
        Assert.Equal(SubIndication.TryLater, report.SubIndication);
        Assert.True(SignatureLevel.BaselineT == report.Level, report.Level + ": " + string.Join(" | ", report.Messages) + System.Text.Json.JsonSerializer.Serialize(report.Timestamps));
        Assert.Equal(at, report.ProvenSigningTime!.Value.UtcDateTime, TimeSpan.FromSeconds(1));
        var timestamp = Assert.Single(report.Timestamps);
        Assert.True(timestamp.ImprintIntact && timestamp.SignatureIntact && timestamp.TrustedTsa);
    }

    [Fact]
    public async Task A_time_stamp_over_something_else_proves_nothing()
    {
        var pdf = TestPdf.Prepare();
        var cms = TestCms.SignDetached(pdf.SignedBytes, _pki.SignerFactory, _pki.Signer, _pki.Chain, crls: [_pki.Crl(null)]);
        cms = await TestCms.AddSignatureTimestampAsync(cms, _ => Task.FromResult(_pki.TimeStamp("not the signature value"u8.ToArray(), DateTime.UtcNow)));
        var report = await ValidateAsync(pdf.Complete(cms));

        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.Equal(SignatureLevel.BaselineB, report.Level);
        Assert.Null(report.ProvenSigningTime);
        Assert.False(Assert.Single(report.Timestamps).ImprintIntact);
    }

    [Fact]
    public async Task One_flipped_byte_of_the_signed_range_is_a_hash_failure()
    {
        var report = await ValidateAsync(PdfEdits.Replace(await SignedPdfAsync(_pki), "/MediaBox [0 0 200 200]", "/MediaBox [0 0 200 201]"));

        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.HashFailure, report.SubIndication);
    }

    [Fact]
    public async Task A_damaged_signature_value_is_a_sig_crypto_failure()
    {
        var report = await ValidateAsync(await SignedPdfAsync(_pki, (data, _) => DamageSignatureValue(TestCms.SignDetached(data, _pki.SignerFactory, _pki.Signer, _pki.Chain))));

        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.SigCryptoFailure, report.SubIndication);
    }

    [Fact]
    public async Task An_unknown_root_is_no_certificate_chain_found()
    {
        var report = await ValidateAsync(await SignedPdfAsync(_pki), trustRoot: false);

        Assert.Equal(Indication.Indeterminate, report.Indication);
        Assert.Equal(SubIndication.NoCertificateChainFound, report.SubIndication);
        Assert.Contains("not a trust anchor", report.Messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ByteRange_that_does_not_start_at_zero_is_a_format_failure()
    {
        var pdf = await SignedPdfAsync(_pki);
        var range = PdfEdits.ByteRangeOf(pdf);
        var report = await ValidateAsync(PdfEdits.WithByteRange(pdf, 1, range[1] - 1, range[2], range[3]));

        Assert.Equal(SubIndication.FormatFailure, report.SubIndication);
    }

    [Fact]
    public async Task A_ByteRange_whose_gap_is_not_the_Contents_string_is_a_format_failure()
    {
        var pdf = await SignedPdfAsync(_pki);
        var range = PdfEdits.ByteRangeOf(pdf);
        var report = await ValidateAsync(PdfEdits.WithByteRange(pdf, 0, range[1] + 2, range[2], range[3]));

        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.FormatFailure, report.SubIndication);
    }

    [Fact]
    public async Task A_ByteRange_past_the_end_of_the_file_is_a_format_failure()
    {
        var pdf = await SignedPdfAsync(_pki);
        var range = PdfEdits.ByteRangeOf(pdf);
        var report = await ValidateAsync(PdfEdits.WithByteRange(pdf, 0, range[1], range[2], range[3] + 10));

        Assert.Equal(SubIndication.FormatFailure, report.SubIndication);
    }

    [Fact]
    public async Task A_ByteRange_that_stops_inside_a_revision_is_a_format_failure()
    {
        var pdf = await SignedPdfAsync(_pki);
        var range = PdfEdits.ByteRangeOf(pdf);
        var report = await ValidateAsync(PdfEdits.WithByteRange(pdf, 0, range[1], range[2], range[3] - 20));

        Assert.Equal(SubIndication.FormatFailure, report.SubIndication);
        Assert.Contains("end of a revision", report.Messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_appended_after_the_signed_revision_are_reported_as_a_later_change()
    {
        var pdf = await SignedPdfAsync(_pki);
        var appended = pdf.Concat("9 0 obj\n<< /Type /Page /MediaBox [0 0 1 1] >>\nendobj\n%%EOF\n"u8.ToArray()).ToArray();
        var report = await ValidateAsync(appended);

        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.StartsWith("revision 1 of 2", report.SignedObjects[0], StringComparison.Ordinal);
        Assert.Equal("later revisions also change: Page", report.SignedObjects[1]);
    }

    internal static byte[] DamageSignatureValue(byte[] cms)
    {
        var data = new CmsSignedData(cms);
        var signature = data.GetSignerInfos().GetSigners().Single().GetSignature();
        var at = cms.AsSpan().IndexOf(signature);
        var damaged = (byte[])cms.Clone();
        damaged[at + signature.Length - 1] ^= 0x01;
        return damaged;
    }
}
