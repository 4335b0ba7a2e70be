using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf.Syntax;

namespace IdentityHub.Signing.Pdf.Structure;

/// <summary>
/// One PDF file as the next incremental update sees it (ISO 32000-1 §7.5): the offset of its last cross-reference
/// section and its kind, the trailer, the catalog and an object reader. Anything the update cannot stand on is refused
/// with a stable <see cref="DocumentProblems"/> code before a byte is written.
/// </summary>
internal sealed class PdfFile
{
    private PdfFile(ReadOnlyMemory<byte> bytes, long startXref, XrefKind kind, PdfDictionary trailer, ObjectReader objects, PdfReference root, PdfDictionary catalog)
    {
        Bytes = bytes;
        StartXref = startXref;
        Kind = kind;
        Trailer = trailer;
        Objects = objects;
        RootReference = root;
        Catalog = catalog;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public long StartXref { get; }

    public XrefKind Kind { get; }

    public PdfDictionary Trailer { get; }

    public ObjectReader Objects { get; }

    public PdfReference RootReference { get; }

    public PdfDictionary Catalog { get; }

    /// <summary>The first free object number (§7.5.5 /Size: one more than the highest object number).</summary>
    public int Size => Math.Max(StreamDecoder.Integer(Trailer["Size"], 0), Objects.Entries.Count == 0 ? 0 : Objects.Entries.Keys.Max() + 1);

    public static PdfFile Open(ReadOnlyMemory<byte> bytes)
    {
        // §7.5.2: the header "%PDF-1.n" (readers accept it within the first 1024 bytes).
        var head = bytes.Span[..Math.Min(1024, bytes.Length)];
        if (head.IndexOf("%PDF-"u8) < 0)
        {
            throw new DocumentRejectedException(DocumentProblems.NotPdf, "The file is not a PDF document (no %PDF- header).");
        }

        try
        {
            var startXref = FindStartXref(bytes.Span);
            var (entries, trailer, kind) = CrossReference.Read(bytes, startXref);
            if (trailer["Encrypt"] is not null)
            {
                // §7.6: every string and stream is encrypted; the hub neither decrypts nor signs such files.
                throw new DocumentRejectedException(DocumentProblems.EncryptedPdf, "The PDF is encrypted; remove the password protection before signing.");
            }

            var objects = new ObjectReader(bytes, entries);
            if (trailer["Root"] is not PdfReference root || objects.ResolveDictionary(root) is not { } catalog || !catalog.IsName("Type", "Catalog"))
            {
                throw new PdfSyntaxException("The trailer names no document catalog.");
            }

            return new PdfFile(bytes, startXref, kind, trailer, objects, root, catalog);
        }
        catch (Exception ex) when (ex is PdfSyntaxException or OverflowException or ArgumentException or IndexOutOfRangeException or InvalidCastException)
        {
            throw new DocumentRejectedException(DocumentProblems.DamagedPdf, "The PDF's cross-reference structure is damaged: " + ex.Message, ex);
        }
    }

    /// <summary>§7.5.5: the file ends with "startxref", the offset of the last cross-reference section, and "%%EOF".</summary>
    private static long FindStartXref(ReadOnlySpan<byte> file)
    {
        var tailStart = Math.Max(0, file.Length - 2048);
        var at = file[tailStart..].LastIndexOf("startxref"u8);
        if (at < 0)
        {
            throw new PdfSyntaxException("No startxref at the end of the file.");
        }

        var parser = new PdfParser(file[(tailStart + at + 9)..].ToArray());
        var token = parser.ReadToken();
        return long.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new PdfSyntaxException($"startxref is followed by '{(token.Length > 20 ? token[..20] : token)}', not an offset.");
    }

    /// <summary>The first page (§7.7.3 page tree: the leftmost leaf) and its reference.</summary>
    public (PdfReference Reference, PdfDictionary Page) FirstPage()
    {
        var node = Catalog["Pages"];
        for (var depth = 0; depth < 64; depth++)
        {
            if (node is not PdfReference reference || Objects.ResolveDictionary(reference) is not { } dictionary)
            {
                break;
            }

            if (dictionary.IsName("Type", "Page") || dictionary["Kids"] is null)
            {
                return (reference, dictionary);
            }

            node = (Objects.Resolve(dictionary["Kids"]) as PdfArray)?.Items.FirstOrDefault();
        }

        throw new DocumentRejectedException(DocumentProblems.DamagedPdf, "The PDF has no first page the signature field could be placed on.");
    }
}
