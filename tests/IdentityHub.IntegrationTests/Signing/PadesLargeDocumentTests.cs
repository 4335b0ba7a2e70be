using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Pdf;
using IdentityHub.Signing.Validation;
using IdentityHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>A 10 MB PDF: offsets past 2^24, one copy and one hashing pass; the figures are printed, never asserted.</summary>
[Collection(HubCollection.Name)]
public sealed class PadesLargeDocumentTests(HubFixture hub, ITestOutputHelper output)
{
    [Fact]
    public async Task A_10_MB_PDF_is_signed_at_B_T_and_verifies_with_openssl_and_pdfsig()
    {
        var signer = await hub.IssueSignerAsync();
        var dir = PadesTools.NewDirectory(hub, "pades-large");
        await PadesTools.WriteTrustAsync(dir, signer);
        var pdf = LargePdf(10 << 20);
        var pades = hub.App.Services.GetRequiredService<PadesSigner>();
        await pades.SignAsync(PadesTools.SimplePdf(), signer.Identity, new PadesParameters { Level = SignatureLevel.BaselineT }, CancellationToken.None); // warm-up

        byte[] signed = [];
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            signed = await pades.SignAsync(pdf, signer.Identity, new PadesParameters { Level = SignatureLevel.BaselineT }, CancellationToken.None);
            var signing = watch.Elapsed;
            watch.Restart();
            SHA256.HashData(pdf);
            var hashing = watch.Elapsed;
            output.WriteLine($"10 MB PAdES B-T: {signing.TotalMilliseconds:F1} ms; SHA-256 of 10 MB: {hashing.TotalMilliseconds:F1} ms");
        }

        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.pdf"), signed);
        var signature = Assert.Single(PadesTools.Signatures(signed));
        await File.WriteAllBytesAsync(Path.Combine(dir, "sig.der"), signature.Der);
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.bin"), signature.SignedContent);
        var verified = await PadesTools.RunAsync(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", "signed.bin",
            "-CAfile", "root.pem", "-certfile", "chain.pem", "-purpose", "any", "-out", "/dev/null");
        Assert.True(verified.ExitCode == 0, verified.All);
        var check = await PadesTools.RunAsync(dir, "qpdf", "--check", "signed.pdf");
        Assert.True(check.ExitCode == 0, check.All);
        var pdfsig = await PadesTools.RunAsync(dir, "pdfsig", "-nssdir", "sql:nss", "signed.pdf");
        Assert.True(PadesTools.Count(pdfsig.Output, "Signature is Valid.") == 1, pdfsig.All);
    }

    /// <summary>A one-page PDF followed by an unreferenced stream of <paramref name="size"/> random bytes (ISO 32000-1 §7.5 by hand).</summary>
    private static byte[] LargePdf(int size)
    {
        using var stream = new MemoryStream();
        var offsets = new List<long>();
        void Write(string text) => stream.Write(Encoding.Latin1.GetBytes(text));
        Write("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ];
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(stream.Position);
            Write(string.Create(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n"));
        }

        offsets.Add(stream.Position);
        Write(string.Create(CultureInfo.InvariantCulture, $"4 0 obj\n<< /Length {size} >>\nstream\n"));
        stream.Write(RandomNumberGenerator.GetBytes(size));
        Write("\nendstream\nendobj\n");
        var xref = stream.Position;
        Write("xref\n0 5\n0000000000 65535 f\r\n");
        foreach (var offset in offsets)
        {
            Write(string.Create(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n\r\n"));
        }

        Write(string.Create(CultureInfo.InvariantCulture, $"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        return stream.ToArray();
    }
}
