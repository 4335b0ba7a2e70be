using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace IdentityHub.Signing.Validation.Pades;

/// <summary>
/// A PDF as raw bytes with what the signature reader needs to find in it (ISO 32000-1 §7.5): where each revision
/// ends (%%EOF of each incremental update, §7.5.6) and the latest definition of an indirect object. Searches run on a
/// Latin-1 view (one char per byte, so string offsets are file offsets) with timeouts on every pattern.
/// </summary>
internal sealed partial class PdfFile
{
    private const int MaxStreamBytes = 8 << 20;
    private const int MaxObjects = 1_000_000;
    private Dictionary<(int, int), int>? _objects;
    private List<(int Offset, int Number, int Generation)>? _headers;

    public PdfFile(ReadOnlyMemory<byte> bytes)
    {
        Bytes = bytes;
        Text = Encoding.Latin1.GetString(bytes.Span);
        RevisionEnds = FindRevisionEnds();
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public string Text { get; }

    /// <summary>Offsets just after each "%%EOF" marker (and its end-of-line), in file order.</summary>
    public IReadOnlyList<int> RevisionEnds { get; }

    /// <summary>The offset of the value of the latest "n g obj" in the file, or null (e.g. inside an object stream).</summary>
    public int? FindObject(int number, int generation)
    {
        IndexObjects();
        return _objects!.TryGetValue((number, generation), out var offset) ? offset : null;
    }

    public PdfValue? Resolve(PdfValue? value, int hops = 0)
    {
        if (value is not PdfReference reference)
        {
            return value;
        }

        return hops < 8 && FindObject(reference.Number, reference.Generation) is { } offset
            ? Resolve(new PdfParser(Bytes, offset).ReadValue(), hops + 1)
            : null;
    }

    /// <summary>
    /// The decoded data of a stream object (§7.3.8), unfiltered or FlateDecode only, at most 8 MiB: enough for
    /// certificates, OCSP responses and CRLs in a /DSS dictionary.
    /// </summary>
    public byte[]? ReadStream(PdfReference reference)
    {
        if (FindObject(reference.Number, reference.Generation) is not { } offset)
        {
            return null;
        }

        var parser = new PdfParser(Bytes, offset);
        if (parser.ReadValue() is not PdfDictionary dictionary || Resolve(dictionary["Length"]) is not PdfNumber { IsInteger: true } length
            || length.Value < 0 || length.Value > MaxStreamBytes)
        {
            return null;
        }

        parser.SkipWhitespace();
        var span = Bytes.Span;
        var start = parser.Position;
        if (!span[start..].StartsWith("stream"u8))
        {
            return null;
        }

        start += 6;
        start += span[start..].StartsWith("\r\n"u8) ? 2 : span[start..].StartsWith("\n"u8) ? 1 : 0; // §7.3.8.1: EOL after "stream"
        if (start + (int)length.Value > span.Length)
        {
            return null;
        }

        var raw = Bytes.Slice(start, (int)length.Value);
        return dictionary["Filter"] switch
        {
            null => raw.ToArray(),
            PdfName { Value: "FlateDecode" } or PdfArray { Items: [PdfName { Value: "FlateDecode" }] } => Inflate(raw),
            _ => null,
        };
    }

    private static byte[]? Inflate(ReadOnlyMemory<byte> raw)
    {
        using var input = new MemoryStream(raw.ToArray());
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = zlib.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > MaxStreamBytes)
                {
                    return null; // refuse a stream that inflates past the bound
                }
            }
        }
        catch (InvalidDataException)
        {
            return null;
        }

        return output.ToArray();
    }

    // One pass over the file: the last "n g obj" wins, as a later incremental update redefines an object (§7.5.6).
    private void IndexObjects()
    {
        if (_objects is not null)
        {
            return;
        }

        var index = new Dictionary<(int, int), int>();
        var headers = new List<(int Offset, int Number, int Generation)>();
        for (var match = ObjectHeader().Match(Text); match.Success && headers.Count < MaxObjects; match = match.NextMatch())
        {
            if (int.TryParse(match.Groups[1].ValueSpan, out var number) && int.TryParse(match.Groups[2].ValueSpan, out var generation))
            {
                index[(number, generation)] = match.Index + match.Length;
                headers.Add((match.Index + match.Length, number, generation));
            }
        }

        _objects = index;
        _headers = headers;
    }

    /// <summary>The indirect object whose definition encloses <paramref name="offset"/> (the last header before it), if that definition is the current one.</summary>
    public (int Offset, int Number, int Generation)? EnclosingObject(int offset)
    {
        IndexObjects();
        var headers = _headers!;
        var low = 0;
        var high = headers.Count - 1;
        var found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (headers[middle].Offset <= offset)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        if (found < 0)
        {
            return null;
        }

        var header = headers[found];
        return _objects![(header.Number, header.Generation)] == header.Offset ? header : null;
    }

    [GeneratedRegex(@"(?<![0-9])([0-9]{1,10})[ \t\r\n\f\0]+([0-9]{1,5})[ \t\r\n\f\0]+obj\b", RegexOptions.CultureInvariant, 10_000)]
    private static partial Regex ObjectHeader();

    private List<int> FindRevisionEnds()
    {
        var ends = new List<int>();
        var span = Bytes.Span;
        for (var at = Text.IndexOf("%%EOF", StringComparison.Ordinal); at >= 0 && ends.Count < 10_000; at = Text.IndexOf("%%EOF", at + 5, StringComparison.Ordinal))
        {
            var end = at + 5;
            end += span[end..].StartsWith("\r\n"u8) ? 2 : end < span.Length && span[end] is (byte)'\r' or (byte)'\n' ? 1 : 0;
            ends.Add(end);
        }

        return ends;
    }
}
