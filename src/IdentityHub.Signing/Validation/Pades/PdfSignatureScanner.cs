using System.Text;
using System.Text.RegularExpressions;

namespace IdentityHub.Signing.Validation.Pades;

/// <summary>A signature or document time-stamp dictionary found in the file, with the name of the field that holds it.</summary>
internal sealed record PdfSignatureDictionary(PdfDictionary Dictionary, int? ObjectNumber, int? Generation, string? FieldName)
{
    public bool IsDocumentTimestamp => Dictionary.Name("Type") == "DocTimeStamp" || Dictionary.Name("SubFilter") == "ETSI.RFC3161";
}

/// <summary>
/// Finds every signature dictionary (ISO 32000-1 §12.8.1 /Type /Sig, ISO 32000-2 §12.8.5 /DocTimeStamp) by scanning
/// the raw file for /ByteRange in current object definitions: this finds signatures that the AcroForm no longer
/// reaches as well, and needs no full PDF parse of hostile input. Field names come from the fields whose /V points at
/// each dictionary (§12.7.4.5).
/// </summary>
internal static partial class PdfSignatureScanner
{
    private const int MaxSignatures = 500;

    public static IReadOnlyList<PdfSignatureDictionary> Find(PdfFile file)
    {
        var found = new Dictionary<int, PdfSignatureDictionary>();
        for (var at = file.Text.IndexOf("/ByteRange", StringComparison.Ordinal); at >= 0; at = file.Text.IndexOf("/ByteRange", at + 10, StringComparison.Ordinal))
        {
            if (file.EnclosingObject(at) is not { } header)
            {
                continue; // not in an indirect object, or in a definition a later revision replaced
            }

            var value = new PdfParser(file.Bytes, header.Offset).ReadValue();
            if (FindDictionary(value, at, 0) is not { } dictionary || found.ContainsKey(dictionary.Start))
            {
                continue;
            }

            var direct = ReferenceEquals(dictionary, value);
            found[dictionary.Start] = new PdfSignatureDictionary(
                dictionary,
                direct ? header.Number : null,
                direct ? header.Generation : null,
                direct ? null : TextString(value is PdfDictionary field ? field["T"] : null));
            if (found.Count > MaxSignatures)
            {
                throw PdfParser.Damaged("the file holds too many signature dictionaries");
            }
        }

        var names = FieldNames(file, found.Values.Where(s => s.ObjectNumber is not null).Select(s => (s.ObjectNumber!.Value, s.Generation!.Value)).ToHashSet());
        return [.. found.Values
            .Select(s => s.FieldName is null && s.ObjectNumber is { } n && names.TryGetValue((n, s.Generation!.Value), out var name) ? s with { FieldName = name } : s)
            .OrderBy(s => s.Dictionary.Start)];
    }

    public static string? TextString(PdfValue? value)
    {
        if (value is not PdfString text)
        {
            return null;
        }

        // §7.9.2.2 text strings: UTF-16BE with a byte order mark, else PDFDocEncoding (Latin-1 for printable text).
        return text.Bytes is [0xFE, 0xFF, ..] ? Encoding.BigEndianUnicode.GetString(text.Bytes, 2, text.Bytes.Length - 2) : Encoding.Latin1.GetString(text.Bytes);
    }

    // The dictionary holding the /ByteRange key found at offset: the object itself or one nested in it (a field with a direct /V).
    private static PdfDictionary? FindDictionary(PdfValue value, int offset, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        return value switch
        {
            PdfDictionary d when d.Start <= offset && offset < d.End && d.Entries.ContainsKey("ByteRange")
                && !d.Entries.Values.OfType<PdfDictionary>().Any(n => n.Start <= offset && offset < n.End) => d,
            PdfDictionary d => d.Entries.Values.Select(v => FindDictionary(v, offset, depth + 1)).FirstOrDefault(v => v is not null),
            PdfArray a => a.Items.Select(v => FindDictionary(v, offset, depth + 1)).FirstOrDefault(v => v is not null),
            _ => null,
        };
    }

    private static Dictionary<(int, int), string> FieldNames(PdfFile file, HashSet<(int, int)> signatures)
    {
        var names = new Dictionary<(int, int), string>();
        var count = 0;
        for (var match = FieldValue().Match(file.Text); match.Success && ++count < 100_000; match = match.NextMatch())
        {
            var target = (int.Parse(match.Groups[1].ValueSpan), int.Parse(match.Groups[2].ValueSpan));
            if (!signatures.Contains(target) || names.ContainsKey(target) || file.EnclosingObject(match.Index) is not { } header)
            {
                continue;
            }

            if (new PdfParser(file.Bytes, header.Offset).ReadValue() is PdfDictionary field && TextString(field["T"]) is { } name)
            {
                names[target] = name;
            }
        }

        return names;
    }

    [GeneratedRegex(@"/V[ \t\r\n\f\0]*([0-9]{1,9})[ \t\r\n\f\0]+([0-9]{1,5})[ \t\r\n\f\0]+R\b", RegexOptions.CultureInvariant, 10_000)]
    private static partial Regex FieldValue();
}
