using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Testing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>One signature found in a signed PDF by its /ByteRange alone: the bytes it covers and the DER in /Contents.</summary>
public sealed record PdfSignatureBytes(long[] ByteRange, byte[] SignedContent, byte[] Der);

/// <summary>
/// What the PAdES and CAdES tests share: input PDFs, the independent tools (openssl, qpdf, pdfsig with an NSS database
/// that trusts the hub root) and a reader of ByteRange and /Contents that does not use the hub's own PDF code.
/// </summary>
public static partial class PadesTools
{
    public sealed record ToolResult(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static async Task<ToolResult> RunAsync(string workingDirectory, string tool, params string[] arguments)
    {
        var result = await Openssl.RunToolAsync(workingDirectory, tool, arguments, TimeSpan.FromSeconds(120));
        return new ToolResult(result.ExitCode, result.Output, result.Error);
    }

    public static string NewDirectory(HubFixture hub, string prefix) =>
        hub.WorkDirectory.CreateSubdirectory(prefix + "-" + Guid.NewGuid().ToString("N")[..8]).FullName;

    /// <summary>A two-page PDF with a classic cross-reference table, written by PdfPig.</summary>
    public static byte[] SimplePdf(string text = "A document to sign")
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText(text, 12, new PdfPoint(72, 760), font);
        builder.AddPage(PageSize.A4).AddText("Page two", 12, new PdfPoint(72, 760), font);
        return builder.Build();
    }

    /// <summary>The same PDF rewritten by qpdf with object streams, so its last cross-reference section is a stream.</summary>
    public static async Task<byte[]> XrefStreamPdfAsync(string directory)
    {
        await File.WriteAllBytesAsync(Path.Combine(directory, "plain.pdf"), SimplePdf());
        var result = await RunAsync(directory, "qpdf", "--object-streams=generate", "plain.pdf", "objstm.pdf");
        Assert.True(result.ExitCode == 0, result.All);
        return await File.ReadAllBytesAsync(Path.Combine(directory, "objstm.pdf"));
    }

    /// <summary>The same PDF linearized by qpdf: a first-page cross-reference section near the start, /Prev to the main one.</summary>
    public static async Task<byte[]> LinearizedPdfAsync(string directory)
    {
        await File.WriteAllBytesAsync(Path.Combine(directory, "plain.pdf"), SimplePdf());
        var result = await RunAsync(directory, "qpdf", "--linearize", "plain.pdf", "linear.pdf");
        Assert.True(result.ExitCode == 0, result.All);
        return await File.ReadAllBytesAsync(Path.Combine(directory, "linear.pdf"));
    }

    /// <summary>root.pem (the hub root), chain.pem (the signer's issuers) and an NSS database trusting the root in nss/.</summary>
    public static async Task WriteTrustAsync(string directory, CitizenSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        await File.WriteAllTextAsync(Path.Combine(directory, "root.pem"), Pem.Certificate(signer.Identity.IssuerChainDer[^1]));
        await File.WriteAllTextAsync(Path.Combine(directory, "chain.pem"), string.Concat(signer.Identity.IssuerChainDer.Select(Pem.Certificate)));
        Directory.CreateDirectory(Path.Combine(directory, "nss"));
        var created = await RunAsync(directory, "certutil", "-N", "-d", "sql:nss", "--empty-password");
        Assert.True(created.ExitCode == 0, created.All);
        var added = await RunAsync(directory, "certutil", "-A", "-d", "sql:nss", "-n", "hub-root", "-t", "CT,C,C", "-i", "root.pem");
        Assert.True(added.ExitCode == 0, added.All);
    }

    /// <summary>Every /ByteRange in the file, in file order, with the covered bytes and the DER value between the ranges.</summary>
    public static IReadOnlyList<PdfSignatureBytes> Signatures(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var found = new List<PdfSignatureBytes>();
        foreach (Match match in ByteRangePattern().Matches(text))
        {
            var range = Enumerable.Range(1, 4).Select(i => long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture)).ToArray();
            var signed = new byte[range[1] + range[3]];
            pdf.AsSpan((int)range[0], (int)range[1]).CopyTo(signed);
            pdf.AsSpan((int)range[2], (int)range[3]).CopyTo(signed.AsSpan((int)range[1]));
            var hex = text[(int)(range[1] + 1)..(int)(range[2] - 1)];
            var padded = Convert.FromHexString(hex);
            found.Add(new PdfSignatureBytes(range, signed, padded[..DerLength(padded)]));
        }

        return found;
    }

    /// <summary>The length of the DER TLV at the start (the zero padding after it is not part of the value).</summary>
    public static int DerLength(byte[] der)
    {
        ArgumentNullException.ThrowIfNull(der);
        var first = der[1];
        if (first < 0x80)
        {
            return 2 + first;
        }

        var count = first & 0x7F;
        var length = 0;
        for (var i = 0; i < count; i++)
        {
            length = (length << 8) | der[2 + i];
        }

        return 2 + count + length;
    }

    public static int Count(string text, string value) => Regex.Count(text, Regex.Escape(value));

    public static byte[] Flip(byte[] data, int index)
    {
        var copy = (byte[])data.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    [GeneratedRegex(@"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")]
    private static partial Regex ByteRangePattern();
}
