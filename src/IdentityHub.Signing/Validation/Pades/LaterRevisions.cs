namespace IdentityHub.Signing.Validation.Pades;

/// <summary>
/// What the incremental updates after a signed revision change (ISO 32000-1 §12.8.2.2, EN 319 142-1 §5.4: later
/// revisions may add signatures, document time-stamps and validation data; anything else changes the document the
/// signer saw). A best-effort classification of the objects defined after the signed range, for the report.
/// </summary>
internal static class LaterRevisions
{
    private static readonly HashSet<string> Expected = new(StringComparer.Ordinal)
    {
        "Sig", "DocTimeStamp", "DSS", "VRI", "XRef", "Catalog", "Annot", "XObject", "ObjStm", "Metadata", "AcroForm",
    };

    public static IEnumerable<string> Describe(PdfFile file, int signedEnd)
    {
        if (signedEnd >= file.Bytes.Length)
        {
            yield break;
        }

        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        var count = 0;
        for (var at = signedEnd; count < 10_000; count++)
        {
            var next = file.Text.IndexOf(" obj", at, StringComparison.Ordinal);
            if (next < 0 || file.EnclosingObject(next + 4) is not { } header)
            {
                break;
            }

            at = next + 4;
            PdfValue value;
            try
            {
                value = new PdfParser(file.Bytes, header.Offset).ReadValue();
            }
            catch (Documents.DocumentRejectedException)
            {
                kinds.Add("unreadable object");
                continue;
            }

            if (value is PdfDictionary dictionary && Kind(dictionary) is { } kind && !Expected.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        yield return kinds.Count == 0
            ? "later revisions add only signatures, time-stamps, validation data or form fields"
            : "later revisions also change: " + string.Join(", ", kinds);
    }

    private static string? Kind(PdfDictionary dictionary) =>
        dictionary.Name("Type")
        ?? (dictionary.Entries.ContainsKey("ByteRange") ? "Sig"
        : dictionary.Name("FT") is { } fieldType ? (fieldType == "Sig" ? "AcroForm" : "form field " + fieldType)
        : dictionary.Entries.ContainsKey("Length") ? null // an untyped stream: content, certificate or revocation data
        : null);
}
