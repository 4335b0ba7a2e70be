using System.Globalization;
using System.Security.Cryptography;
using IdentityHub.Signing.Pdf.Structure;
using IdentityHub.Signing.Pdf.Syntax;

namespace IdentityHub.Signing.Pdf.Update;

/// <summary>
/// Appends one revision to a PDF (ISO 32000-1 §7.5.6 incremental updates): new and changed objects, then a
/// cross-reference section of the kind the file already uses (a table after a table, a stream after a stream, §7.5.8)
/// and a trailer with /Prev pointing at the previous section. The original bytes are copied once and never changed.
/// </summary>
internal sealed class IncrementalUpdate
{
    private readonly PdfFile _file;
    private readonly long _base;
    private readonly bool _separator;
    private readonly SortedDictionary<int, (long Offset, int Generation)> _written = [];
    private int _next;

    public IncrementalUpdate(PdfFile file)
    {
        _file = file;
        _next = file.Size;
        var last = file.Bytes.Length == 0 ? (byte)0 : file.Bytes.Span[^1];
        _separator = last is not ((byte)'\n' or (byte)'\r');
        _base = file.Bytes.Length + (_separator ? 1 : 0);
    }

    public PdfTextWriter Writer { get; } = new();

    /// <summary>Where the next byte written lands in the finished file.</summary>
    public long AbsolutePosition => _base + Writer.Position;

    public PdfFile File => _file;

    public PdfReference Allocate() => new(_next++, 0);

    /// <summary>Writes a new version of an existing object (same number and generation, §7.5.6).</summary>
    public void Replace(PdfReference reference, PdfObject value)
    {
        var generation = _file.Objects.GenerationOf(reference.Number);
        Mark(reference.Number, generation);
        Writer.Object(reference.Number, generation, value);
    }

    public void Add(PdfReference reference, PdfObject value)
    {
        Mark(reference.Number, 0);
        Writer.Object(reference.Number, 0, value);
    }

    public void AddStream(PdfReference reference, PdfDictionary dictionary, ReadOnlySpan<byte> data)
    {
        Mark(reference.Number, 0);
        Writer.Stream(reference.Number, dictionary, data);
    }

    /// <summary>Starts an object whose body the caller writes itself (to know where placeholders land); end with <see cref="EndRaw"/>.</summary>
    public void BeginRaw(PdfReference reference)
    {
        Mark(reference.Number, 0);
        Writer.Line(string.Create(CultureInfo.InvariantCulture, $"{reference.Number} 0 obj"));
    }

    public void EndRaw() => Writer.Raw("\nendobj\n");

    private void Mark(int number, int generation)
    {
        if (!_written.TryAdd(number, (AbsolutePosition, generation)))
        {
            throw new InvalidOperationException($"Object {number} is written twice in one revision.");
        }
    }

    /// <summary>The whole new file: the original bytes, then this revision's objects, cross-reference section and trailer.</summary>
    public byte[] Finish()
    {
        var trailer = new PdfDictionary();
        if (_file.Kind == XrefKind.Table)
        {
            var xrefOffset = AbsolutePosition;
            WriteTable();
            trailer["Size"] = new PdfNumber(_next);
            AddTrailerEntries(trailer);
            Writer.Raw("trailer\n");
            trailer.WriteTo(Writer);
            Writer.Raw(string.Create(CultureInfo.InvariantCulture, $"\nstartxref\n{xrefOffset}\n%%EOF\n"));
        }
        else
        {
            WriteStream(trailer);
        }

        var output = new byte[_base + Writer.Position];
        _file.Bytes.Span.CopyTo(output);
        if (_separator)
        {
            output[_file.Bytes.Length] = (byte)'\n';
        }

        Writer.CopyTo(output.AsSpan((int)_base));
        return output;
    }

    /// <summary>§7.5.4: subsections of consecutive numbers; each entry exactly 20 bytes ("oooooooooo ggggg n" CR LF).</summary>
    private void WriteTable()
    {
        Writer.Raw("xref\n");
        foreach (var run in Runs())
        {
            Writer.Raw(string.Create(CultureInfo.InvariantCulture, $"{run[0]} {run.Count}\n"));
            foreach (var number in run)
            {
                var (offset, generation) = _written[number];
                Writer.Raw(string.Create(CultureInfo.InvariantCulture, $"{offset:D10} {generation:D5} n\r\n"));
            }
        }
    }

    /// <summary>§7.5.8: a cross-reference stream (unfiltered) that lists itself; it carries the trailer entries.</summary>
    private void WriteStream(PdfDictionary dictionary)
    {
        var self = Allocate();
        _written[self.Number] = (AbsolutePosition, 0);
        var offsetWidth = 1;
        while (AbsolutePosition >= 1L << (8 * offsetWidth))
        {
            offsetWidth++;
        }

        var runs = Runs();
        var rowLength = 1 + offsetWidth + 2;
        var data = new byte[_written.Count * rowLength];
        var position = 0;
        foreach (var number in runs.SelectMany(r => r))
        {
            var (offset, generation) = _written[number];
            data[position] = 1;
            for (var i = 0; i < offsetWidth; i++)
            {
                data[position + 1 + i] = (byte)(offset >> (8 * (offsetWidth - 1 - i)));
            }

            data[position + 1 + offsetWidth] = (byte)(generation >> 8);
            data[position + 2 + offsetWidth] = (byte)generation;
            position += rowLength;
        }

        dictionary["Type"] = new PdfName("XRef");
        dictionary["Size"] = new PdfNumber(_next);
        dictionary["Index"] = new PdfArray(runs.SelectMany(r => new PdfObject[] { new PdfNumber(r[0]), new PdfNumber(r.Count) }));
        dictionary["W"] = new PdfArray([new PdfNumber(1), new PdfNumber(offsetWidth), new PdfNumber(2)]);
        AddTrailerEntries(dictionary);
        var xrefOffset = _written[self.Number].Offset;
        Writer.Stream(self.Number, dictionary, data);
        Writer.Raw(string.Create(CultureInfo.InvariantCulture, $"startxref\n{xrefOffset}\n%%EOF\n"));
    }

    /// <summary>§7.5.5 / §7.5.6: the trailer of an update repeats /Root and /Info, links /Prev and keeps the first /ID.</summary>
    private void AddTrailerEntries(PdfDictionary trailer)
    {
        trailer["Root"] = _file.RootReference;
        if (_file.Trailer["Info"] is PdfReference info)
        {
            trailer["Info"] = info;
        }

        var fresh = new PdfString(System.Text.Encoding.ASCII.GetBytes("<" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + ">"));
        var first = _file.Trailer["ID"] is PdfArray { Items: [PdfString original, _] } ? original : fresh;
        trailer["ID"] = new PdfArray([first, fresh]);
        trailer["Prev"] = new PdfNumber(_file.StartXref);
    }

    private List<List<int>> Runs()
    {
        var runs = new List<List<int>>();
        foreach (var number in _written.Keys)
        {
            if (runs.Count > 0 && runs[^1][^1] == number - 1)
            {
                runs[^1].Add(number);
            }
            else
            {
                runs.Add([number]);
            }
        }

        return runs;
    }
}
