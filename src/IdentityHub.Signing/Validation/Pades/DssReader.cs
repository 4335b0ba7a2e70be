using System.Text.RegularExpressions;

namespace IdentityHub.Signing.Validation.Pades;

/// <summary>The validation data of a PDF's document security store, and where the first /DSS appears (which revision added it).</summary>
internal sealed record DssContents(IReadOnlyList<byte[]> Certificates, IReadOnlyList<byte[]> OcspResponses, IReadOnlyList<byte[]> Crls, int? FirstOffset)
{
    public static DssContents None { get; } = new([], [], [], null);
}

/// <summary>
/// Reads the /DSS dictionary (ETSI EN 319 142-1 §5.4.2, ISO 32000-2 §12.8.4.3): streams of DER certificates,
/// OCSP responses and CRLs. The catalog's latest /DSS entry wins (a later revision adds to the store by rewriting it).
/// </summary>
internal static partial class DssReader
{
    private const int MaxEntries = 2000;

    public static DssContents Read(PdfFile file)
    {
        var matches = DssEntry().Matches(file.Text);
        if (matches.Count == 0)
        {
            return DssContents.None;
        }

        var last = matches[^1];
        PdfValue? value = last.Groups[1].Success
            ? new PdfReference(int.Parse(last.Groups[1].ValueSpan), int.Parse(last.Groups[2].ValueSpan))
            : new PdfParser(file.Bytes, last.Index + 4).ReadValue();
        if (file.Resolve(value) is not PdfDictionary dss)
        {
            return DssContents.None with { FirstOffset = matches[0].Index };
        }

        return new DssContents(Streams(file, dss["Certs"]), Streams(file, dss["OCSPs"]), Streams(file, dss["CRLs"]), matches[0].Index);
    }

    private static List<byte[]> Streams(PdfFile file, PdfValue? array) =>
        file.Resolve(array) is PdfArray items
            ? [.. items.Items.Take(MaxEntries).OfType<PdfReference>().Select(file.ReadStream).OfType<byte[]>()]
            : [];

    [GeneratedRegex(@"/DSS[ \t\r\n\f\0]*(?:([0-9]{1,9})[ \t\r\n\f\0]+([0-9]{1,5})[ \t\r\n\f\0]+R\b|<<)", RegexOptions.CultureInvariant, 10_000)]
    private static partial Regex DssEntry();
}
