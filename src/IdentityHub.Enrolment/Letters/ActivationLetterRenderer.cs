using System.Globalization;
using IdentityHub.Enrolment.Lifecycle;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace IdentityHub.Enrolment;

/// <summary>
/// The activation letter an officer prints at issue: one A4 page with the citizen's name, national identifier, eID
/// number, the one-time activation code and what to do with it. Written with PdfPig (Apache-2.0; PDFsharp is AGPL:
/// docs/decisions/0008-activation-letters-with-pdfpig.md) with Liberation Sans embedded (Latin, Greek and Cyrillic), so every name the registry holds
/// prints with its diacritics. The document information carries a title only, never personal data.
/// </summary>
public sealed class ActivationLetterRenderer(IOptions<EnrolmentOptions> options)
{
    private readonly Lazy<(byte[] Regular, byte[] Bold)> _fonts = new(() => LoadFonts(options.Value));

    public byte[] Render(ActivationLetterContent letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var (regularBytes, boldBytes) = _fonts.Value;
        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = "eID activation letter";
        builder.DocumentInformation.Producer = "IdentityHub";
        var regular = builder.AddTrueTypeFont(regularBytes);
        var bold = builder.AddTrueTypeFont(boldBytes);
        var page = builder.AddPage(PageSize.A4);
        const double Left = 60;
        var y = 780.0;
        void Line(string text, double size, PdfDocumentBuilder.AddedFont font, double after = 8)
        {
            page.AddText(text, size, new PdfPoint(Left, y), font);
            y -= size + after;
        }

        var culture = CultureInfo.InvariantCulture;
        Line(options.Value.HubName, 11, regular, 24);
        Line("Your national eID is ready", 22, bold, 18);
        Line($"{letter.GivenNames} {letter.Surname}", 16, regular, 6);
        Line($"National identifier: {letter.NationalId}", 12, regular, 4);
        Line($"eID number: {letter.DocumentNumber}", 12, regular, 24);
        Line("Your activation code", 14, bold, 10);
        Line(letter.ActivationCode, 28, regular, 10);
        Line($"Use it before {letter.CodeExpiresAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm", culture)} UTC. It works once.", 12, regular, 24);
        Line("How to activate your eID", 14, bold, 10);
        Line($"1. Go to {options.Value.ActivationUrl}", 12, regular, 4);
        Line("2. Enter your national identifier and the activation code above.", 12, regular, 4);
        Line("3. Choose a password and set up a second factor (an authenticator app or a passkey).", 12, regular, 24);
        Line("Keep this letter safe", 14, bold, 10);
        Line("Never tell anyone the activation code. We never ask for it by phone, e-mail or text message.", 12, regular, 4);
        Line("If this letter was lost or opened by someone else, ask a service point to print a new one;", 12, regular, 4);
        Line("the code on this letter then stops working.", 12, regular, 24);
        Line($"Printed at service point {letter.ServicePoint} on {letter.PrintedAt.UtcDateTime.ToString("yyyy-MM-dd", culture)}.", 10, regular);
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentOutOfRangeException)
        {
            throw new InvalidOperationException(
                $"The activation letter cannot be printed with the configured font ({ex.Message}); a name may hold a character the font lacks.", ex);
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
