using System.IO.Compression;
using IdentityHub.Signing.Pdf.Syntax;

namespace IdentityHub.Signing.Pdf.Structure;

/// <summary>
/// Decodes the streams the structure lives in (cross-reference and object streams, ISO 32000-1 §7.5.7, §7.5.8):
/// unfiltered or FlateDecode, with the PNG predictors of §7.4.4.4. Other filters are not used for structure.
/// </summary>
internal static class StreamDecoder
{
    /// <summary>Structure streams larger than this once inflated are refused (a deflate bomb, not a real cross-reference).</summary>
    private const int MaxDecodedBytes = 256 << 20;

    public static byte[] Decode(PdfStream stream)
    {
        var filter = stream.Dictionary["Filter"] switch
        {
            null => null,
            PdfName name => name.Raw,
            PdfArray { Items: [] } => null,
            PdfArray { Items: [PdfName single] } => single.Raw,
            _ => throw new PdfSyntaxException("Structure streams with chained filters are not supported."),
        };
        if (filter is null)
        {
            return stream.Encoded.ToArray();
        }

        if (filter != "FlateDecode")
        {
            throw new PdfSyntaxException($"Structure stream filter /{filter} is not supported.");
        }

        var inflated = Inflate(stream.Encoded);
        var parameters = stream.Dictionary["DecodeParms"] switch
        {
            PdfDictionary d => d,
            PdfArray { Items: [PdfDictionary d] } => d,
            _ => null,
        };
        var predictor = Integer(parameters?["Predictor"], 1);
        if (predictor < 10)
        {
            return predictor == 1 ? inflated : throw new PdfSyntaxException("TIFF predictors are not supported in structure streams.");
        }

        var colors = Integer(parameters?["Colors"], 1);
        var bits = Integer(parameters?["BitsPerComponent"], 8);
        var columns = Integer(parameters?["Columns"], 1);
        return UndoPng(inflated, Math.Max(1, colors * bits / 8), checked(colors * bits * columns + 7) / 8);
    }

    private static byte[] Inflate(ReadOnlyMemory<byte> encoded)
    {
        using var input = new MemoryStream(encoded.ToArray(), writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16384];
        int read;
        try
        {
            while ((read = zlib.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > MaxDecodedBytes)
                {
                    throw new PdfSyntaxException("A structure stream inflates beyond any plausible size.");
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new PdfSyntaxException("A structure stream is not valid deflate data: " + ex.Message);
        }

        return output.ToArray();
    }

    /// <summary>PNG filters per row (RFC 2083 §6): each row starts with its filter type byte.</summary>
    private static byte[] UndoPng(byte[] data, int bytesPerPixel, int rowLength)
    {
        if (rowLength <= 0)
        {
            throw new PdfSyntaxException("Bad predictor columns.");
        }

        var rows = data.Length / (rowLength + 1);
        var output = new byte[rows * rowLength];
        var previous = new byte[rowLength];
        for (var r = 0; r < rows; r++)
        {
            var type = data[r * (rowLength + 1)];
            var row = output.AsSpan(r * rowLength, rowLength);
            data.AsSpan(r * (rowLength + 1) + 1, rowLength).CopyTo(row);
            for (var i = 0; i < rowLength; i++)
            {
                var left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                var up = previous[i];
                var upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                row[i] = type switch
                {
                    0 => row[i],
                    1 => (byte)(row[i] + left),
                    2 => (byte)(row[i] + up),
                    3 => (byte)(row[i] + ((left + up) / 2)),
                    4 => (byte)(row[i] + Paeth(left, up, upLeft)),
                    _ => throw new PdfSyntaxException($"Unknown PNG filter type {type}."),
                };
            }

            row.CopyTo(previous);
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static int Integer(PdfObject? value, int fallback) =>
        value is PdfNumber n && n.TryGetLong(out var v) && v is >= int.MinValue and <= int.MaxValue ? (int)v : fallback;
}
