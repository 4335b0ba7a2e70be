using IdentityHub.Signing.Pdf.Syntax;

namespace IdentityHub.Signing.Pdf.Structure;

/// <summary>Where one object lives (ISO 32000-1 §7.5.4 table entries, §7.5.8.3 cross-reference stream entry types).</summary>
internal readonly record struct XrefEntry(bool Compressed, long Offset, int Generation, int StreamNumber, int IndexInStream);

/// <summary>The kind of the file's last cross-reference section, which the next revision continues (§7.5.6 / §7.5.8).</summary>
internal enum XrefKind
{
    Table,
    Stream,
}

/// <summary>
/// Reads the cross-reference sections of a file, newest first along /Prev (§7.5.6 incremental updates), into one map
/// in which the newest entry for each object wins. Hybrid files' /XRefStm sections (§7.5.8.4) are read too.
/// </summary>
internal static class CrossReference
{
    private const int MaxSections = 4096;

    public static (Dictionary<int, XrefEntry> Entries, PdfDictionary Trailer, XrefKind Kind) Read(ReadOnlyMemory<byte> file, long startXref)
    {
        var entries = new Dictionary<int, XrefEntry>();
        var visited = new HashSet<long>();
        PdfDictionary? newestTrailer = null;
        XrefKind kind = default;
        long? next = startXref;
        while (next is { } offset)
        {
            if (!visited.Add(offset) || visited.Count > MaxSections)
            {
                throw new PdfSyntaxException("The cross-reference sections loop.");
            }

            var (trailer, sectionKind) = ReadSection(file, offset, entries);
            if (newestTrailer is null)
            {
                newestTrailer = trailer;
                kind = sectionKind;
            }

            if (sectionKind == XrefKind.Table && trailer["XRefStm"] is PdfNumber hybrid && hybrid.TryGetLong(out var stm) && visited.Add(stm))
            {
                ReadSection(file, stm, entries);
            }

            next = trailer["Prev"] is PdfNumber prev && prev.TryGetLong(out var p) ? p : null;
        }

        return (entries, newestTrailer!, kind);
    }

    private static (PdfDictionary Trailer, XrefKind Kind) ReadSection(ReadOnlyMemory<byte> file, long offset, Dictionary<int, XrefEntry> entries)
    {
        if (offset < 0 || offset >= file.Length)
        {
            throw new PdfSyntaxException($"A cross-reference offset ({offset}) lies outside the file.");
        }

        var parser = new PdfParser(file, (int)offset);
        if (parser.PeekToken() == "xref")
        {
            return (ReadTable(parser, entries), XrefKind.Table);
        }

        parser.ReadInteger();
        parser.ReadInteger();
        parser.Expect("obj");
        var dictionary = parser.ReadObject() as PdfDictionary ?? throw new PdfSyntaxException("The cross-reference offset points at no dictionary.");
        if (!dictionary.IsName("Type", "XRef"))
        {
            throw new PdfSyntaxException("The cross-reference offset points at an object that is not a cross-reference stream.");
        }

        var stream = ObjectReader.ReadStreamBody(file, parser, dictionary, null);
        ReadStreamEntries(stream, entries);
        return (dictionary, XrefKind.Stream);
    }

    /// <summary>§7.5.4: "xref", subsections "first count" of 20-byte entries "nnnnnnnnnn ggggg n|f", then §7.5.5 "trailer".</summary>
    private static PdfDictionary ReadTable(PdfParser parser, Dictionary<int, XrefEntry> entries)
    {
        parser.Expect("xref");
        while (parser.PeekToken() != "trailer")
        {
            var first = parser.ReadInteger();
            var count = parser.ReadInteger();
            if (first < 0 || count < 0 || first + count > 10_000_000)
            {
                throw new PdfSyntaxException("A cross-reference subsection is out of range.");
            }

            for (var i = 0; i < count; i++)
            {
                var position = parser.ReadInteger();
                var generation = parser.ReadInteger();
                var type = parser.ReadToken();
                if (type is not ("n" or "f"))
                {
                    throw new PdfSyntaxException("A cross-reference entry is neither in use nor free.");
                }

                // Newer sections were read first: their entries win (§7.5.6).
                if (type == "n" && !entries.ContainsKey((int)(first + i)))
                {
                    entries[(int)(first + i)] = new XrefEntry(false, position, (int)generation, 0, 0);
                }
                else if (type == "f")
                {
                    entries.TryAdd((int)(first + i), new XrefEntry(false, -1, (int)generation, 0, 0));
                }
            }
        }

        parser.Expect("trailer");
        return parser.ReadObject() as PdfDictionary ?? throw new PdfSyntaxException("The trailer is not a dictionary.");
    }

    /// <summary>§7.5.8.2-3: /W field widths, /Index subsections; type 0 free, 1 in the file, 2 in an object stream.</summary>
    private static void ReadStreamEntries(PdfStream stream, Dictionary<int, XrefEntry> entries)
    {
        var data = StreamDecoder.Decode(stream);
        if (stream.Dictionary["W"] is not PdfArray { Items.Count: 3 } w)
        {
            throw new PdfSyntaxException("A cross-reference stream has no /W.");
        }

        var widths = w.Items.Select(i => StreamDecoder.Integer(i, -1)).ToArray();
        if (widths.Any(x => x is < 0 or > 8))
        {
            throw new PdfSyntaxException("A cross-reference stream has bad /W widths.");
        }

        var size = StreamDecoder.Integer(stream.Dictionary["Size"], -1);
        var index = stream.Dictionary["Index"] is PdfArray array
            ? array.Items.Select(i => StreamDecoder.Integer(i, -1)).ToArray()
            : [0, size];
        if (index.Length % 2 != 0 || index.Any(x => x < 0))
        {
            throw new PdfSyntaxException("A cross-reference stream has a bad /Index.");
        }

        var rowLength = widths.Sum();
        var position = 0;
        for (var s = 0; s < index.Length; s += 2)
        {
            for (var i = 0; i < index[s + 1]; i++)
            {
                if (position + rowLength > data.Length)
                {
                    throw new PdfSyntaxException("A cross-reference stream is shorter than its /Index says.");
                }

                var type = widths[0] == 0 ? 1 : Field(data, position, widths[0]);
                var second = Field(data, position + widths[0], widths[1]);
                var third = Field(data, position + widths[0] + widths[1], widths[2]);
                position += rowLength;
                var number = index[s] + i;
                var entry = type switch
                {
                    0 => new XrefEntry(false, -1, (int)third, 0, 0),
                    1 => new XrefEntry(false, second, (int)third, 0, 0),
                    2 => new XrefEntry(true, 0, 0, (int)second, (int)third),
                    _ => (XrefEntry?)null, // §7.5.8.3: unknown types are references to the null object
                };
                if (entry is { } e)
                {
                    entries.TryAdd(number, e);
                }
            }
        }
    }

    private static long Field(byte[] data, int start, int width)
    {
        long value = 0;
        for (var i = 0; i < width; i++)
        {
            value = (value << 8) | data[start + i];
        }

        return value;
    }
}
