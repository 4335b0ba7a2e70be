using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace IdentityHub.Enrolment;

/// <summary>One line of a letter: its text, font size, face and the space after it (points).</summary>
internal sealed record LetterLine(string Text, double Size, bool Bold = false, double After = 8);

/// <summary>
/// The one-page A4 layout every letter of the hub uses (activation, account recovery): lines from the top left, written
/// with PdfPig (Apache-2.0; PDFsharp is AGPL: docs/decisions/0008-activation-letters-with-pdfpig.md) with Liberation
/// Sans embedded (Latin, Greek and Cyrillic), so every name and address the registry holds prints with its diacritics.
/// The document information carries a title only, never personal data.
/// </summary>
internal sealed class LetterPdf(EnrolmentOptions settings)
{
    private readonly Lazy<(byte[] Regular, byte[] Bold)> _fonts = new(() => LoadFonts(settings));

    public byte[] Render(string title, IEnumerable<LetterLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var (regularBytes, boldBytes) = _fonts.Value;
        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = title;
        builder.DocumentInformation.Producer = "IdentityHub";
        var regular = builder.AddTrueTypeFont(regularBytes);
        var bold = builder.AddTrueTypeFont(boldBytes);
        var page = builder.AddPage(PageSize.A4);
        const double Left = 60;
        var y = 780.0;
        foreach (var line in lines)
        {
            page.AddText(line.Text, line.Size, new PdfPoint(Left, y), line.Bold ? bold : regular);
            y -= line.Size + line.After;
        }

        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentOutOfRangeException)
        {
            throw new InvalidOperationException(
                $"The {title} cannot be printed with the configured font ({ex.Message}); a name or address may hold a character the font lacks.", ex);
        }
    }

    private static (byte[], byte[]) LoadFonts(EnrolmentOptions settings)
    {
        var directory = settings.LetterFontDirectory;
        byte[] Read(string file)
        {
            var path = Path.Combine(directory, file);
            return File.Exists(path)
                ? File.ReadAllBytes(path)
                : throw new InvalidOperationException(
                    $"Font '{path}' is missing: install Debian's fonts-liberation (./hub up does) or set Enrolment:LetterFontDirectory and Enrolment:LetterFont*.");
        }

        return (Read(settings.LetterFontRegular), Read(settings.LetterFontBold));
    }
}
