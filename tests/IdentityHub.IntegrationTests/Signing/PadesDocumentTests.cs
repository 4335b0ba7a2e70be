using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf;
using IdentityHub.Signing.Validation;
using IdentityHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>PAdES on real documents: several signatures in one file, visible and certifying signatures, and refused input.</summary>
[Collection(HubCollection.Name)]
public sealed class PadesDocumentTests(HubFixture hub)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_PDF_signed_three_times_keeps_all_three_signatures_valid(bool xrefStream)
    {
        var first = await hub.IssueSignerAsync("Mari");
        var second = await hub.IssueSignerAsync("Jaan");
        var dir = PadesTools.NewDirectory(hub, "pades-three");
        await PadesTools.WriteTrustAsync(dir, first);
        var pades = hub.App.Services.GetRequiredService<PadesSigner>();
        var pdf = xrefStream ? await PadesTools.XrefStreamPdfAsync(dir) : PadesTools.SimplePdf();

        var once = await pades.SignAsync(pdf, first.Identity, new PadesParameters { Level = SignatureLevel.BaselineB }, CancellationToken.None);
        var twice = await pades.SignAsync(once, second.Identity, new PadesParameters { Level = SignatureLevel.BaselineT }, CancellationToken.None);
        var thrice = await pades.SignAsync(twice, first.Identity, new PadesParameters { Level = SignatureLevel.BaselineLT }, CancellationToken.None);

        Assert.Equal(twice, thrice.AsSpan(0, twice.Length).ToArray());
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.pdf"), thrice);
        var signatures = PadesTools.Signatures(thrice);
        Assert.Equal(3, signatures.Count);
        for (var i = 0; i < signatures.Count; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, $"sig{i}.der"), signatures[i].Der);
            await File.WriteAllBytesAsync(Path.Combine(dir, $"signed{i}.bin"), signatures[i].SignedContent);
            var verified = await PadesTools.RunAsync(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", $"sig{i}.der", "-content", $"signed{i}.bin",
                "-CAfile", "root.pem", "-certfile", "chain.pem", "-purpose", "any", "-out", "/dev/null");
            Assert.True(verified.ExitCode == 0, verified.All);
        }

        var check = await PadesTools.RunAsync(dir, "qpdf", "--check", "signed.pdf");
        Assert.True(check.ExitCode == 0, check.All);
        var pdfsig = await PadesTools.RunAsync(dir, "pdfsig", "-nssdir", "sql:nss", "signed.pdf");
        Assert.True(PadesTools.Count(pdfsig.Output, "Signature is Valid.") == 3, pdfsig.All);
        Assert.Contains("Signature Field Name: Signature3", pdfsig.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visible_certifying_signature_has_its_appearance_and_DocMDP_and_stays_valid_under_a_later_approval()
    {
        var signer = await hub.IssueSignerAsync();
        var dir = PadesTools.NewDirectory(hub, "pades-visible");
        await PadesTools.WriteTrustAsync(dir, signer);
        var pades = hub.App.Services.GetRequiredService<PadesSigner>();
        var parameters = new PadesParameters
        {
            Level = SignatureLevel.BaselineT,
            Visible = true,
            CertificationPermission = 2,
            Reason = "Agreed (in full)",
            Location = "Tallinn",
            SignerDisplayName = "Mari Tamm-Kütt",
        };

        var certified = await pades.SignAsync(PadesTools.SimplePdf(), signer.Identity, parameters, CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(dir, "certified.pdf"), certified);

        var json = (await PadesTools.RunAsync(dir, "qpdf", "--json", "certified.pdf")).Output;
        Assert.Contains("\"/Perms\": {", json, StringComparison.Ordinal);
        Assert.Contains("\"/DocMDP\":", json, StringComparison.Ordinal);
        Assert.Contains("\"/TransformMethod\": \"/DocMDP\"", json, StringComparison.Ordinal);
        Assert.Contains("\"/P\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"/Subtype\": \"/Widget\"", json, StringComparison.Ordinal);
        Assert.Contains("\"/BaseFont\": \"/Helvetica\"", json, StringComparison.Ordinal);
        Assert.Contains("\"/Rect\": [\n", json, StringComparison.Ordinal);
        Assert.Contains("\"/Reason\": \"u:Agreed (in full)\"", json, StringComparison.Ordinal);

        // The appearance stream shows the name (WinAnsi octal escape for ü), the time and the level.
        var text = Encoding.Latin1.GetString(certified);
        Assert.Contains("(Signed by: Mari Tamm-K\\374tt) Tj", text, StringComparison.Ordinal);
        Assert.Contains("(Level: PAdES B-T) Tj", text, StringComparison.Ordinal);
        Assert.Contains("(Time: " + DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

        // A later approval signature is allowed by P=2 and keeps the certification valid.
        var approved = await pades.SignAsync(certified, signer.Identity, new PadesParameters { Level = SignatureLevel.BaselineB, Visible = true, Rectangle = [300, 36, 520, 96] }, CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(dir, "approved.pdf"), approved);
        var check = await PadesTools.RunAsync(dir, "qpdf", "--check", "approved.pdf");
        Assert.True(check.ExitCode == 0, check.All);
        var pdfsig = await PadesTools.RunAsync(dir, "pdfsig", "-nssdir", "sql:nss", "approved.pdf");
        Assert.True(PadesTools.Count(pdfsig.Output, "Signature is Valid.") == 2, pdfsig.All);

        // ISO 32000-1 §12.8.2.2.1: only the first signature may certify.
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            pades.SignAsync(approved, signer.Identity, new PadesParameters { CertificationPermission = 1 }, CancellationToken.None));
        Assert.Equal(DocumentProblems.Unsupported, refused.Code);
    }

    [Fact]
    public async Task A_document_certified_with_no_changes_permitted_is_not_signed_again_but_may_be_time_stamped()
    {
        var signer = await hub.IssueSignerAsync();
        var dir = PadesTools.NewDirectory(hub, "pades-p1");
        await PadesTools.WriteTrustAsync(dir, signer);
        var pades = hub.App.Services.GetRequiredService<PadesSigner>();

        // P=1 with B-LTA: the DSS and the document time-stamp are added after the certification (EN 319 142-1 §5.4).
        var certified = await pades.SignAsync(PadesTools.SimplePdf(), signer.Identity,
            new PadesParameters { Level = SignatureLevel.BaselineLTA, CertificationPermission = 1 }, CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(dir, "certified.pdf"), certified);
        var json = (await PadesTools.RunAsync(dir, "qpdf", "--json", "certified.pdf")).Output;
        Assert.Contains("\"/P\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"/Type\": \"/DocTimeStamp\"", json, StringComparison.Ordinal);
        var pdfsig = await PadesTools.RunAsync(dir, "pdfsig", "-nssdir", "sql:nss", "certified.pdf");
        Assert.True(PadesTools.Count(pdfsig.Output, "Signature is Valid.") == 1, pdfsig.All);

        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            pades.SignAsync(certified, signer.Identity, new PadesParameters(), CancellationToken.None));
        Assert.Equal(DocumentProblems.Unsupported, refused.Code);
        Assert.Contains("P=1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypted_damaged_non_PDF_and_oversized_input_is_refused_with_its_code()
    {
        var signer = await hub.IssueSignerAsync();
        var dir = PadesTools.NewDirectory(hub, "pades-bad");
        var pades = hub.App.Services.GetRequiredService<PadesSigner>();
        var plain = PadesTools.SimplePdf();
        await File.WriteAllBytesAsync(Path.Combine(dir, "plain.pdf"), plain);
        var encrypt = await PadesTools.RunAsync(dir, "qpdf", "--encrypt", "u", "o", "256", "--", "plain.pdf", "enc.pdf");
        Assert.True(encrypt.ExitCode == 0, encrypt.All);

        // Damaged: the keyword at the offset startxref names is no longer "xref".
        var text = Encoding.Latin1.GetString(plain);
        var offset = int.Parse(text[(text.LastIndexOf("startxref", StringComparison.Ordinal) + 9)..].Trim().Split('\n')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var damaged = (byte[])plain.Clone();
        "xqef"u8.CopyTo(damaged.AsSpan(offset));

        // Sanity: the undamaged file signs, so each refusal below is the check's doing.
        Assert.NotEmpty(await pades.SignAsync(plain, signer.Identity, new PadesParameters(), CancellationToken.None));
        await AssertRefusedAsync(await File.ReadAllBytesAsync(Path.Combine(dir, "enc.pdf")), DocumentProblems.EncryptedPdf);
        await AssertRefusedAsync(damaged, DocumentProblems.DamagedPdf);
        await AssertRefusedAsync(plain.AsSpan(0, plain.Length - 200).ToArray(), DocumentProblems.DamagedPdf);
        await AssertRefusedAsync("<html><body>not a pdf</body></html>"u8.ToArray(), DocumentProblems.NotPdf);
        await AssertRefusedAsync(new byte[(25 << 20) + 1], DocumentProblems.TooLarge);

        async Task AssertRefusedAsync(byte[] input, string code)
        {
            byte[]? output = null;
            var refused = await Assert.ThrowsAsync<DocumentRejectedException>(async () =>
                output = await pades.SignAsync(input, signer.Identity, new PadesParameters { Level = SignatureLevel.BaselineT }, CancellationToken.None));
            Assert.Equal(code, refused.Code);
            Assert.Null(output);
        }
    }
}
