using System.Security.Cryptography;
using IdentityHub.Hsm;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki;
using IdentityHub.Signing;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Tests.Validation.Inputs;
using IdentityHub.Signing.TimeStamps;
using IdentityHub.Signing.Validation;
using IdentityHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.X509;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// The validation service on a real hub (PostgreSQL, SoftHSM, the hub's PKI, TSA, OCSP and CRL) over signatures made
/// with a citizen's HSM key: a PDF and a detached CMS written by the test, since the signing formats are built elsewhere.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ValidationServiceTests(HubFixture hub)
{
    private ValidationService Service => hub.App.Services.GetRequiredService<ValidationService>();

    private async Task<byte[]> SignedPdfAsync(CitizenSigner signer, bool timestamp, Func<byte[], byte[]>? damage = null)
    {
        var pdf = TestPdf.Prepare();
        var cms = Sign(signer, pdf.SignedBytes);
        if (timestamp)
        {
            cms = await TimestampAsync(cms);
        }

        return pdf.Complete(damage?.Invoke(cms) ?? cms);
    }

    private static byte[] Sign(CitizenSigner signer, byte[] content) =>
        TestCms.SignDetached(content, signer.Identity.Key.ToSignatureFactory(), new X509Certificate(signer.Identity.CertificateDer),
            signer.Identity.IssuerChainDer.Select(c => new X509Certificate(c)));

    private Task<byte[]> TimestampAsync(byte[] cms)
    {
        var tsa = hub.App.Services.GetRequiredService<ITimeStampSource>();
        return TestCms.AddSignatureTimestampAsync(cms, signature => tsa.TimeStampAsync(SHA256.HashData(signature), HashAlgorithmName.SHA256, CancellationToken.None));
    }

    private async Task<SignatureReport> ValidateAsync(string name, byte[] document, params SignedFile[] detached)
    {
        var report = await Service.ValidateAsync(new ValidationInput(name, document, detached), null, CancellationToken.None);
        Assert.Null(report.Problem);
        return Assert.Single(report.Signatures);
    }

    [Fact]
    public async Task A_hub_PAdES_signature_is_total_passed_at_B_B_qualified_with_good_status_from_the_hub()
    {
        var signer = await hub.IssueSignerAsync();
        var report = await ValidateAsync("signed.pdf", await SignedPdfAsync(signer, timestamp: false));

        Assert.True(report.Indication == Indication.TotalPassed, string.Join(" | ", report.Messages));
        Assert.Equal(SignatureLevel.BaselineB, report.Level);
        Assert.True(report.QualifiedCertificate);
        Assert.True(report.QualifiedSignatureCreationDevice);
        Assert.True(report.ChainTrusted);
        Assert.Equal(3, report.Chain.Count);
        Assert.Equal("good", report.RevocationStatus);
        Assert.Contains(report.Messages, m => m.Contains("hub's own OCSP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hub_PAdES_signature_with_a_hub_time_stamp_is_total_passed_at_B_T_with_a_proven_signing_time()
    {
        var signer = await hub.IssueSignerAsync();
        var report = await ValidateAsync("signed.pdf", await SignedPdfAsync(signer, timestamp: true));

        Assert.True(report.Indication == Indication.TotalPassed, string.Join(" | ", report.Messages));
        Assert.Equal(SignatureLevel.BaselineT, report.Level);
        Assert.NotNull(report.ProvenSigningTime);
        Assert.True(Assert.Single(report.Timestamps).TrustedTsa);
    }

    [Fact]
    public async Task A_hub_detached_CAdES_signature_is_total_passed_and_openssl_agrees()
    {
        var signer = await hub.IssueSignerAsync();
        var content = "an agency's contract"u8.ToArray();
        var cms = Sign(signer, content);
        var report = await ValidateAsync("contract.txt.p7s", cms, new SignedFile("contract.txt", "text/plain", content));

        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.Equal(SignatureFormat.Cades, report.Format);

        var dir = hub.WorkDirectory.CreateSubdirectory("val-cades-" + Guid.NewGuid().ToString("N")[..6]).FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "sig.p7s"), cms);
        await File.WriteAllBytesAsync(Path.Combine(dir, "contract.txt"), content);
        await File.WriteAllTextAsync(Path.Combine(dir, "root.pem"), Pem.Certificate(signer.Identity.IssuerChainDer[^1]));
        var verified = await Openssl.RunAsync(dir, "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.p7s", "-content", "contract.txt", "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null");
        Assert.True(verified.ExitCode == 0, verified.All);
    }

    [Fact]
    public async Task One_flipped_byte_of_a_hub_signed_PDF_is_total_failed_hash_failure()
    {
        var signer = await hub.IssueSignerAsync();
        var pdf = PdfEdits.Replace(await SignedPdfAsync(signer, timestamp: false), "/Count 1", "/Count 2");
        var report = await ValidateAsync("signed.pdf", pdf);

        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.HashFailure, report.SubIndication);
    }

    [Fact]
    public async Task A_damaged_signature_value_is_total_failed_sig_crypto_failure()
    {
        var signer = await hub.IssueSignerAsync();
        var report = await ValidateAsync("signed.pdf", await SignedPdfAsync(signer, timestamp: false, DamageSignatureValue));

        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.SigCryptoFailure, report.SubIndication);
    }

    [Fact]
    public async Task A_signature_time_stamped_after_the_certificate_was_revoked_is_total_failed_revoked()
    {
        var signer = await hub.IssueSignerAsync();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RevocationService>()
                .RevokeAsync(signer.Credential.CertificateSerial, RevocationReason.KeyCompromise, signer.Credential.CertificateIssuer, CancellationToken.None);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.1)); // revocation and time-stamp times have one-second precision
        var report = await ValidateAsync("signed.pdf", await SignedPdfAsync(signer, timestamp: true));

        Assert.True(report.SubIndication == SubIndication.Revoked, string.Join(" | ", report.Messages));
        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal("revoked", report.RevocationStatus);
    }

    [Fact]
    public async Task Hostile_or_unreadable_documents_give_a_report_with_a_problem_and_no_signature()
    {
        var notPdf = await Service.ValidateAsync(new ValidationInput("letter.pdf", "hello, not a PDF"u8.ToArray(), []), null, CancellationToken.None);
        Assert.StartsWith(DocumentProblems.NotPdf, notPdf.Problem, StringComparison.Ordinal);
        Assert.Empty(notPdf.Signatures);

        var limit = hub.App.Services.GetRequiredService<IOptions<SigningOptions>>().Value.MaxDocumentBytes;
        var tooLarge = await Service.ValidateAsync(new ValidationInput("big.pdf", new byte[limit + 1], []), null, CancellationToken.None);
        Assert.StartsWith(DocumentProblems.TooLarge, tooLarge.Problem, StringComparison.Ordinal);

        var unknown = await Service.ValidateAsync(new ValidationInput("notes.bin", "plain bytes"u8.ToArray(), []), null, CancellationToken.None);
        Assert.StartsWith(DocumentProblems.Unsupported, unknown.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_JSON_report_names_the_ETSI_indication_and_level()
    {
        var signer = await hub.IssueSignerAsync();
        var report = await Service.ValidateAsync(new ValidationInput("signed.pdf", await SignedPdfAsync(signer, timestamp: true), []), null, CancellationToken.None);
        var json = ValidationReportJson.Serialize(report);

        Assert.Contains("\"indication\": \"TOTAL-PASSED\"", json, StringComparison.Ordinal);
        Assert.Contains("\"level\": \"B-T\"", json, StringComparison.Ordinal);
        Assert.Equal(Indication.TotalPassed, ValidationReportJson.Deserialize(json)!.Signatures[0].Indication);
    }

    private static byte[] DamageSignatureValue(byte[] cms)
    {
        var signature = new CmsSignedData(cms).GetSignerInfos().GetSigners().Single().GetSignature();
        var at = cms.AsSpan().IndexOf(signature);
        var damaged = (byte[])cms.Clone();
        damaged[at + signature.Length - 1] ^= 0x01;
        return damaged;
    }
}
