using System.Globalization;
using System.Text;

namespace IdentityHub.Signing.Tests.Validation.Inputs;

/// <summary>
/// A minimal one-page PDF with one signature field, written by the test (ISO 32000-1 §12.8): the /ByteRange is
/// computed around a zero-filled /Contents placeholder, the caller signs <see cref="SignedBytes"/> with any tool and
/// <see cref="Complete"/> writes the CMS into the hole. Nothing of the hub's signing code is used.
/// </summary>
internal sealed class TestPdf
{
    private const int ContentsBytes = 12_000;
    private readonly byte[] _file;
    private readonly int _contentsStart;
    private readonly int _contentsEnd;

    private TestPdf(byte[] file, int contentsStart, int contentsEnd)
    {
        _file = file;
        _contentsStart = contentsStart;
        _contentsEnd = contentsEnd;
    }

    /// <summary>The bytes the ByteRange covers: everything but the /Contents string.</summary>
    public byte[] SignedBytes => [.. _file.AsSpan(0, _contentsStart), .. _file.AsSpan(_contentsEnd)];

    public static TestPdf Prepare(string subFilter = "ETSI.CAdES.detached", string fieldName = "Signature1")
    {
        var body = new StringBuilder("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        void Add(string obj)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(body.ToString()));
            body.Append(CultureInfo.InvariantCulture, $"{offsets.Count} 0 obj\n{obj}\nendobj\n");
        }

        Add("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>");
        Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>");
        Add($"<< /FT /Sig /T ({fieldName}) /Type /Annot /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R /V 5 0 R >>");
        Add($"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /{subFilter} /M (D:20261206120000Z) /ByteRange [0 ########## ########## ##########] /Contents <{new string('0', ContentsBytes * 2)}> >>");
        var xref = Encoding.Latin1.GetByteCount(body.ToString());
        body.Append(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            body.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        body.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        var text = body.ToString();
        var start = text.IndexOf("/Contents <", StringComparison.Ordinal) + "/Contents ".Length;
        var end = start + (ContentsBytes * 2) + 2;
        var byteRange = $"{start,10} {end,10} {text.Length - end,10}";
        text = text.Replace("########## ########## ##########", byteRange, StringComparison.Ordinal);
        return new TestPdf(Encoding.Latin1.GetBytes(text), start, end);
    }

    /// <summary>The signed PDF: the CMS, hex-encoded and zero-padded, in the /Contents hole.</summary>
    public byte[] Complete(byte[] cms)
    {
        if (cms.Length > ContentsBytes)
        {
            throw new InvalidOperationException("the CMS does not fit the /Contents placeholder");
        }

        var file = (byte[])_file.Clone();
        Encoding.ASCII.GetBytes(Convert.ToHexString(cms)).CopyTo(file, _contentsStart + 1);
        return file;
    }
}
