using System.Globalization;
using System.Text;
using IdentityHub.Signing.Pdf.Syntax;

namespace IdentityHub.Signing.Pdf.Signatures;

/// <summary>The text a visible signature shows, drawn in a box at <see cref="Rectangle"/> (user space of the first page).</summary>
internal sealed record SignatureAppearance(string SignerName, DateTimeOffset SigningTime, string Level, double[] Rectangle)
{
    /// <summary>Default box: 220 × 60 points, 36 points in from the page's lower-left corner.</summary>
    public static double[] DefaultRectangle { get; } = [36, 36, 256, 96];

    /// <summary>
    /// The normal appearance (ISO 32000-1 §12.5.5 /AP /N): a form XObject (§8.10) with a framed box and three lines in
    /// the standard Type 1 font Helvetica (§9.6.2.2, always available) with WinAnsiEncoding (annex D.2).
    /// </summary>
    public (PdfDictionary Dictionary, byte[] Content) Build()
    {
        var width = Rectangle[2] - Rectangle[0];
        var height = Rectangle[3] - Rectangle[1];
        var content = new StringBuilder();
        content.Append(CultureInfo.InvariantCulture, $"q 0.96 0.96 0.96 rg 0 0 {N(width)} {N(height)} re f 0.2 0.2 0.2 RG 0.8 w 0.4 0.4 {N(width - 0.8)} {N(height - 0.8)} re S Q\n");
        content.Append(CultureInfo.InvariantCulture, $"BT 0 g /F1 9 Tf 11 TL 6 {N(height - 16)} Td\n");
        content.Append(CultureInfo.InvariantCulture, $"{Text("Signed by: " + SignerName)} Tj T*\n");
        content.Append(CultureInfo.InvariantCulture, $"{Text("Time: " + SigningTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))} Tj T*\n");
        content.Append(CultureInfo.InvariantCulture, $"{Text("Level: PAdES " + Level)} Tj\nET\n");

        var font = new PdfDictionary();
        font["Type"] = new PdfName("Font");
        font["Subtype"] = new PdfName("Type1");
        font["BaseFont"] = new PdfName("Helvetica");
        font["Encoding"] = new PdfName("WinAnsiEncoding");
        var fonts = new PdfDictionary();
        fonts["F1"] = font;
        var resources = new PdfDictionary();
        resources["Font"] = fonts;
        var dictionary = new PdfDictionary();
        dictionary["Type"] = new PdfName("XObject");
        dictionary["Subtype"] = new PdfName("Form");
        dictionary["BBox"] = new PdfArray([new PdfNumber(0), new PdfNumber(0), new PdfNumber(N(width)), new PdfNumber(N(height))]);
        dictionary["Resources"] = resources;
        return (dictionary, Encoding.Latin1.GetBytes(content.ToString()));
    }

    /// <summary>
    /// A literal string in WinAnsiEncoding (§7.3.4.2): the delimiters and backslash escaped, bytes outside printable
    /// ASCII written as octal escapes, characters WinAnsi cannot show replaced by '?'. Long text is cut to fit.
    /// </summary>
    public static string Text(string text)
    {
        var builder = new StringBuilder("(");
        foreach (var c in text.Length > 48 ? string.Concat(text.AsSpan(0, 47), "…") : text)
        {
            var code = c switch
            {
                '…' => 0x85, // WinAnsi ellipsis
                >= ' ' and <= '~' => c,
                >= '\u00A0' and <= '\u00FF' => c, // Latin-1 supplement maps 1:1 in WinAnsi
                _ => '?',
            };
            builder.Append(code switch
            {
                '(' or ')' or '\\' => "\\" + (char)code,
                >= ' ' and <= '~' => ((char)code).ToString(),
                _ => "\\" + Convert.ToString(code, 8).PadLeft(3, '0'),
            });
        }

        return builder.Append(')').ToString();
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
