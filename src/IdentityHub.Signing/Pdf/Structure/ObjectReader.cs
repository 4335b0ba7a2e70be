using IdentityHub.Signing.Pdf.Syntax;

namespace IdentityHub.Signing.Pdf.Structure;

/// <summary>Reads indirect objects (ISO 32000-1 §7.3.10) from their cross-reference entries, including those in object streams (§7.5.7).</summary>
internal sealed class ObjectReader(ReadOnlyMemory<byte> file, Dictionary<int, XrefEntry> entries)
{
    private readonly Dictionary<int, PdfObject> _cache = [];
    private readonly Dictionary<int, (byte[] Data, int First, int[] Offsets)> _objectStreams = [];
    private int _depth;

    public IReadOnlyDictionary<int, XrefEntry> Entries => entries;

    /// <summary>The generation the next revision must use to replace object <paramref name="number"/>.</summary>
    public int GenerationOf(int number) => entries.TryGetValue(number, out var e) && !e.Compressed ? e.Generation : 0;

    public PdfObject Resolve(PdfObject? value) => value switch
    {
        PdfReference r => Load(r.Number),
        null => PdfKeyword.Null,
        _ => value,
    };

    public PdfDictionary? ResolveDictionary(PdfObject? value) => Resolve(value) switch
    {
        PdfDictionary d => d,
        PdfStream s => s.Dictionary,
        _ => null,
    };

    public PdfObject Load(int number)
    {
        if (_cache.TryGetValue(number, out var cached))
        {
            return cached;
        }

        if (!entries.TryGetValue(number, out var entry) || (!entry.Compressed && entry.Offset < 0))
        {
            return PdfKeyword.Null; // §7.3.10: a reference to a missing or free object is the null object
        }

        if (++_depth > 32)
        {
            throw new PdfSyntaxException("Object references nest too deeply.");
        }

        try
        {
            var value = entry.Compressed ? LoadCompressed(number, entry) : LoadInFile(number, entry.Offset);
            _cache[number] = value;
            return value;
        }
        finally
        {
            _depth--;
        }
    }

    private PdfObject LoadInFile(int number, long offset)
    {
        if (offset >= file.Length)
        {
            throw new PdfSyntaxException($"Object {number} lies outside the file.");
        }

        var parser = new PdfParser(file, (int)offset);
        if (parser.ReadInteger() != number)
        {
            throw new PdfSyntaxException($"The cross-reference entry of object {number} points elsewhere.");
        }

        parser.ReadInteger();
        parser.Expect("obj");
        var value = parser.ReadObject();
        return value is PdfDictionary dictionary && parser.PeekToken() == "stream"
            ? ReadStreamBody(file, parser, dictionary, this)
            : value;
    }

    /// <summary>§7.3.8.1: "stream", one end-of-line (CRLF or LF), then /Length bytes.</summary>
    public static PdfStream ReadStreamBody(ReadOnlyMemory<byte> file, PdfParser parser, PdfDictionary dictionary, ObjectReader? resolver)
    {
        parser.Expect("stream");
        var span = file.Span;
        var position = parser.Position;
        if (position < span.Length && span[position] == '\r')
        {
            position++;
        }

        if (position < span.Length && span[position] == '\n')
        {
            position++;
        }

        var lengthValue = dictionary["Length"] is PdfReference r && resolver is not null ? resolver.Resolve(r) : dictionary["Length"];
        var length = lengthValue is PdfNumber n && n.TryGetLong(out var l) ? l : -1;
        if (length < 0 || position + length > file.Length)
        {
            throw new PdfSyntaxException("A stream's /Length is missing or runs past the end of the file.");
        }

        parser.Position = (int)(position + length);
        return new PdfStream(dictionary, file.Slice(position, (int)length));
    }

    /// <summary>§7.5.7: an object stream holds N pairs "number offset" and then the objects, offsets relative to /First.</summary>
    private PdfObject LoadCompressed(int number, XrefEntry entry)
    {
        if (!_objectStreams.TryGetValue(entry.StreamNumber, out var objectStream))
        {
            if (Load(entry.StreamNumber) is not PdfStream stream || !stream.Dictionary.IsName("Type", "ObjStm"))
            {
                throw new PdfSyntaxException($"Object {number} is said to be in object stream {entry.StreamNumber}, which is not one.");
            }

            var data = StreamDecoder.Decode(stream);
            var count = StreamDecoder.Integer(stream.Dictionary["N"], -1);
            var first = StreamDecoder.Integer(stream.Dictionary["First"], -1);
            if (count < 0 || first < 0 || first > data.Length)
            {
                throw new PdfSyntaxException($"Object stream {entry.StreamNumber} has a bad /N or /First.");
            }

            var header = new PdfParser(data);
            var offsets = new int[count * 2];
            for (var i = 0; i < offsets.Length; i++)
            {
                offsets[i] = (int)header.ReadInteger();
            }

            objectStream = (data, first, offsets);
            _objectStreams[entry.StreamNumber] = objectStream;
        }

        var (bytes, start, pairs) = objectStream;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            if (pairs[i] == number)
            {
                return new PdfParser(bytes, start + pairs[i + 1]).ReadObject();
            }
        }

        throw new PdfSyntaxException($"Object {number} is not in object stream {entry.StreamNumber}.");
    }
}
