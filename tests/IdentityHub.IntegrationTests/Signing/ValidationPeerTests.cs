using System.Security.Cryptography.X509Certificates;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Tests.Validation.Inputs;
using IdentityHub.Signing.Validation;
using IdentityHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// PDFs signed by another tool: the test writes the PDF and its ByteRange, and `openssl cms -sign` makes the CMS with
/// a throwaway openssl CA the hub has never seen. The hub must not trust it by default, and must when the caller
/// passes that root as a trust anchor for the validation.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ValidationPeerTests(HubFixture hub)
{
    private async Task<(byte[] Pdf, byte[] Root)> OpensslSignedPdfAsync(string subFilter, bool cades)
    {
        var dir = hub.WorkDirectory.CreateSubdirectory("val-peer-" + Guid.NewGuid().ToString("N")[..6]).FullName;
        await Run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "30", "-subj", "/CN=Throwaway openssl root", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await Run(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "signer.key", "-out", "signer.csr", "-subj", "/CN=Openssl signer");
        await File.WriteAllTextAsync(Path.Combine(dir, "signer.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n");
        await Run(dir, "x509", "-req", "-in", "signer.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-extfile", "signer.ext", "-out", "signer.pem");

        var pdf = TestPdf.Prepare(subFilter);
        await File.WriteAllBytesAsync(Path.Combine(dir, "range.bin"), pdf.SignedBytes);
        string[] sign = ["cms", "-sign", "-binary", "-outform", "DER", "-in", "range.bin", "-signer", "signer.pem", "-inkey", "signer.key", "-certfile", "ca.pem", "-md", "sha256", "-out", "sig.der"];
        await Run(dir, cades ? [.. sign, "-cades"] : sign);
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(dir, "ca.pem")));
        var root = certificate.RawData;
        return (pdf.Complete(await File.ReadAllBytesAsync(Path.Combine(dir, "sig.der"))), root);
    }

    private static async Task Run(string dir, params string[] arguments)
    {
        var result = await Openssl.RunAsync(dir, arguments);
        Assert.True(result.ExitCode == 0, result.All);
    }

    [Theory]
    [InlineData("ETSI.CAdES.detached", true)]
    [InlineData("adbe.pkcs7.detached", false)]
    public async Task An_openssl_signed_PDF_has_no_chain_until_its_root_is_given_as_an_anchor(string subFilter, bool cades)
    {
        var (pdf, root) = await OpensslSignedPdfAsync(subFilter, cades);
        var service = hub.App.Services.GetRequiredService<ValidationService>();

        var untrusted = Assert.Single((await service.ValidateAsync(new ValidationInput("peer.pdf", pdf, []), null, CancellationToken.None)).Signatures);
        Assert.True(untrusted.SubIndication == SubIndication.NoCertificateChainFound, string.Join(" | ", untrusted.Messages));
        Assert.Equal(Indication.Indeterminate, untrusted.Indication);
        Assert.True(untrusted.DataIntact);
        Assert.True(untrusted.SignatureIntact);

        var trusted = Assert.Single((await service.ValidateAsync(new ValidationInput("peer.pdf", pdf, []), new ValidationPolicy([root]), CancellationToken.None)).Signatures);
        // The chain is found now. openssl embeds no revocation data and the hub fetches none for a foreign CA, so the
        // signer's status is unknown: INDETERMINATE / TRY_LATER (DSS's answer too), not TOTAL-PASSED.
        Assert.True(trusted.ChainTrusted, string.Join(" | ", trusted.Messages));
        Assert.True(trusted.SubIndication == SubIndication.TryLater, string.Join(" | ", trusted.Messages));
        Assert.Equal(Indication.Indeterminate, trusted.Indication);
        Assert.Equal("unknown", trusted.RevocationStatus);
        Assert.Equal("CN=Openssl signer", trusted.Signer!.Subject);
        // openssl -cades adds signing-certificate-v2 (B-B); without it the signature is valid but not an ETSI baseline one.
        Assert.Equal(cades ? SignatureLevel.BaselineB : SignatureLevel.None, trusted.Level);

        var flipped = Assert.Single((await service.ValidateAsync(new ValidationInput("peer.pdf", PdfEdits.Replace(pdf, "/Count 1", "/Count 3"), []), new ValidationPolicy([root]), CancellationToken.None)).Signatures);
        Assert.Equal(SubIndication.HashFailure, flipped.SubIndication);
    }
}
