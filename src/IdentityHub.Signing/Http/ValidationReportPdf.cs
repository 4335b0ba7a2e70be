using System.Globalization;
using System.Text.Json;
using IdentityHub.Signing.Validation;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace IdentityHub.Signing.Http;

/// <summary>
/// The validation report as a PDF, for people who file it with a case: per signature the indication and
/// sub-indication (ETSI EN 319 102-1 §5.1.3), signer, chain, qualification, claimed and proven time, level, integrity
/// and revocation, then the messages. Written with PdfPig and Liberation Sans (every name's diacritics print), falling
/// back to Helvetica when the font is not installed.
/// </summary>
public static class ValidationReportPdf
{
    private const string FontFile = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";
    private const string BoldFontFile = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf";
    private const double Left = 50;
    private const double Top = 790;
    private const double Bottom = 60;
    private const int Wrap = 95;

    /// <summary>The fonts, read from disk once per process (null when Liberation Sans is not installed).</summary>
    private static readonly Lazy<(byte[] Regular, byte[] Bold)?> Fonts = new(() =>
        File.Exists(FontFile) && File.Exists(BoldFontFile) ? (File.ReadAllBytes(FontFile), File.ReadAllBytes(BoldFontFile)) : null);

    public static byte[] Render(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = "Signature validation report";
        builder.DocumentInformation.Producer = "IdentityHub";
        var (regular, bold) = Fonts.Value is { } fonts
            ? (builder.AddTrueTypeFont(fonts.Regular), builder.AddTrueTypeFont(fonts.Bold))
            : (builder.AddStandard14Font(Standard14Font.Helvetica), builder.AddStandard14Font(Standard14Font.HelveticaBold));
        var page = builder.AddPage(PageSize.A4);
        var y = Top;

        void Line(string text, double size = 10, bool strong = false, double after = 4)
        {
            foreach (var part in Wrapped(text))
            {
                if (y < Bottom)
                {
                    page = builder.AddPage(PageSize.A4);
                    y = Top;
                }

                page.AddText(part, size, new PdfPoint(Left, y), strong ? bold : regular);
                y -= size + after;
            }
        }

        Line("Signature validation report", 16, true, 10);
        Line($"Document: {report.DocumentName}");
        Line($"SHA-256: {report.DocumentSha256}");
        Line($"Container: {report.Container}");
        Line($"Validated at: {report.ValidationTime.ToString("u", CultureInfo.InvariantCulture)} (ETSI EN 319 102-1)", after: 12);
        if (report.Problem is not null)
        {
            Line("The document could not be read: " + report.Problem, 11, true);
        }
        else if (report.Signatures.Count == 0)
        {
            Line("No signature was found in this document.", 11, true);
        }

        foreach (var s in report.Signatures)
        {
            y -= 6;
            Line($"Signature {s.Id}: {Name(s.Indication)}{(s.SubIndication is { } sub ? " / " + Name(sub) : "")}", 12, true, 6);
            Line($"Format and level: {Name(s.Format)} {Name(s.Level)}");
            Line($"Signer: {s.Signer?.Subject ?? "not identified"}");
            Line($"Qualified certificate: {(s.QualifiedCertificate ? "yes" : "no")}{(s.QualifiedSignatureCreationDevice ? ", key in a QSCD" : "")}");
            Line($"Chain: {string.Join(" < ", s.Chain.Select(c => c.Subject))}{(s.ChainTrusted ? " (trusted)" : " (not trusted)")}");
            Line($"Claimed signing time: {Time(s.ClaimedSigningTime)}; proven by a time-stamp: {Time(s.ProvenSigningTime)}");
            Line($"Signed data intact: {Flag(s.DataIntact)}; signature value intact: {Flag(s.SignatureIntact)}");
            Line($"Certificate status: {s.RevocationStatus ?? "unknown"}{(s.RevokedAt is { } at ? ", revoked " + Time(at) : "")}");
            foreach (var message in s.Messages)
            {
                Line("• " + message, 9);
            }
        }

        return builder.Build();
    }

    private static string Name<T>(T value) => JsonSerializer.Serialize(value).Trim('"');

    private static string Time(DateTimeOffset? time) => time?.ToString("u", CultureInfo.InvariantCulture) ?? "none";

    private static string Flag(bool? value) => value switch { true => "yes", false => "NO", _ => "not checked" };

    private static IEnumerable<string> Wrapped(string text)
    {
        for (var start = 0; start < text.Length; start += Wrap)
        {
            yield return text.Substring(start, Math.Min(Wrap, text.Length - start));
        }

        if (text.Length == 0)
        {
            yield return "";
        }
    }
}
