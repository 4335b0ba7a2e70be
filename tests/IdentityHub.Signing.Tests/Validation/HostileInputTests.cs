using System.Text;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Tests.Validation.Inputs;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Validation.Cades;
using IdentityHub.Signing.Validation.Pades;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>Hostile documents end in a DocumentRejectedException (a report Problem) or a FORMAT_FAILURE, never in another exception.</summary>
public sealed class HostileInputTests
{
    private readonly TestPki _pki = new();

    [Fact]
    public async Task Non_PDF_bytes_named_pdf_are_rejected_as_not_a_PDF()
    {
        var error = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            new PadesReader().ReadAsync(OfflineValidator.Input("letter.pdf", Encoding.ASCII.GetBytes("this is not a PDF at all")), CancellationToken.None));

        Assert.Equal(DocumentProblems.NotPdf, error.Code);
    }

    [Fact]
    public async Task A_PDF_without_signatures_is_rejected_as_having_none()
    {
        var error = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            new PadesReader().ReadAsync(OfflineValidator.Input("plain.pdf", "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"u8.ToArray()), CancellationToken.None));

        Assert.Equal(DocumentProblems.NoSignature, error.Code);
    }

    [Fact]
    public async Task An_absurd_ByteRange_is_a_format_failure()
    {
        var pdf = PdfEdits.WithByteRange(await PadesValidationTests.SignedPdfAsync(_pki), 0, 999_999_999, 1_999_999_999, 2_000_000_000);
        var (_, reports) = await OfflineValidator.ValidateAsync(OfflineValidator.Input("absurd.pdf", pdf));

        Assert.Equal(SubIndication.FormatFailure, Assert.Single(reports).SubIndication);
    }

    [Fact]
    public async Task An_overlapping_ByteRange_is_a_format_failure()
    {
        var pdf = await PadesValidationTests.SignedPdfAsync(_pki);
        var range = PdfEdits.ByteRangeOf(pdf);
        var (_, reports) = await OfflineValidator.ValidateAsync(OfflineValidator.Input("overlap.pdf", PdfEdits.WithByteRange(pdf, 0, range[2] + 10, range[2], range[3])));

        Assert.Equal(SubIndication.FormatFailure, Assert.Single(reports).SubIndication);
    }

    [Fact]
    public async Task A_truncated_CMS_in_Contents_is_a_format_failure()
    {
        var pdf = TestPdf.Prepare();
        var cms = TestCms.SignDetached(pdf.SignedBytes, _pki.SignerFactory, _pki.Signer, _pki.Chain);
        var (_, reports) = await OfflineValidator.ValidateAsync(OfflineValidator.Input("truncated.pdf", pdf.Complete(cms[..(cms.Length / 2)])));

        var report = Assert.Single(reports);
        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.FormatFailure, report.SubIndication);
    }

    [Fact]
    public async Task A_truncated_p7s_is_rejected()
    {
        var cms = TestCms.SignDetached("x"u8.ToArray(), _pki.SignerFactory, _pki.Signer, _pki.Chain);
        await Assert.ThrowsAsync<DocumentRejectedException>(() => new CadesReader().ReadAsync(OfflineValidator.Input("x.p7s", cms[..100]), CancellationToken.None));
    }

    [Fact]
    public void Deeply_nested_or_overlong_BER_is_refused_before_parsing()
    {
        var nested = Enumerable.Repeat(new byte[] { 0x30, 0x80 }, 10_000).SelectMany(b => b).ToArray();
        Assert.Throws<DocumentRejectedException>(() => BerGuard.CheckedLength(nested));

        byte[] overlong = [0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x00];
        Assert.Throws<DocumentRejectedException>(() => BerGuard.CheckedLength(overlong));

        byte[] fine = [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00];
        Assert.Equal(7, BerGuard.CheckedLength(fine));
    }

    [Fact]
    public async Task Random_bytes_named_p7s_are_rejected()
    {
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        junk[0] = 0x30;
        await Assert.ThrowsAsync<DocumentRejectedException>(() => new CadesReader().ReadAsync(OfflineValidator.Input("junk.p7s", junk), CancellationToken.None));
    }

    [Fact]
    public async Task An_unclosed_signature_dictionary_is_rejected_as_damaged()
    {
        var pdf = "%PDF-1.7\n5 0 obj\n<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00"u8.ToArray();
        var error = await Assert.ThrowsAsync<DocumentRejectedException>(() => new PadesReader().ReadAsync(OfflineValidator.Input("cut.pdf", pdf), CancellationToken.None));

        Assert.Equal(DocumentProblems.DamagedPdf, error.Code);
    }
}
