using System.Buffers;
using System.Globalization;
using System.Text;

namespace IdentityHub.Signing.Pdf.Syntax;

/// <summary>Writes PDF syntax into a growing buffer; offsets are the positions bytes will have in the appended revision.</summary>
internal sealed class PdfTextWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public long Position => _buffer.WrittenCount;

    public void Raw(string text) => _buffer.Write(Encoding.Latin1.GetBytes(text));

    public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void Line(string text) => Raw(text + "\n");

    public void Object(int number, int generation, PdfObject value)
    {
        Line(string.Create(CultureInfo.InvariantCulture, $"{number} {generation} obj"));
        value.WriteTo(this);
        Raw("\nendobj\n");
    }

    /// <summary>§7.3.8.1: a stream object with exactly the given data; the caller adds /Filter when the data is encoded.</summary>
    public void Stream(int number, PdfDictionary dictionary, ReadOnlySpan<byte> data)
    {
        dictionary["Length"] = new PdfNumber(data.Length);
        Line(string.Create(CultureInfo.InvariantCulture, $"{number} 0 obj"));
        dictionary.WriteTo(this);
        Raw("\nstream\n");
        Raw(data);
        Raw("\nendstream\nendobj\n");
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void CopyTo(Span<byte> destination) => _buffer.WrittenSpan.CopyTo(destination);
}
