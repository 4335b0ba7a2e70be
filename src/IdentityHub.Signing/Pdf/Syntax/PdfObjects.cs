using System.Globalization;
using System.Text;

namespace IdentityHub.Signing.Pdf.Syntax;

/// <summary>
/// The PDF object model of ISO 32000-1 §7.3, just enough to read a file's structure and to write changed objects back
/// in an incremental update. Leaves keep their source tokens, so what is copied is written exactly as it was read.
/// </summary>
internal abstract class PdfObject
{
    public abstract void WriteTo(PdfTextWriter writer);
}

/// <summary>§7.3.5: a name, kept as its raw token text after the solidus (escapes such as #20 are not decoded).</summary>
internal sealed class PdfName(string raw) : PdfObject
{
    public string Raw { get; } = raw;

    public override void WriteTo(PdfTextWriter writer) => writer.Raw("/" + Raw);

    public override bool Equals(object? obj) => obj is PdfName other && other.Raw == Raw;

    public override int GetHashCode() => Raw.GetHashCode(StringComparison.Ordinal);
}

/// <summary>§7.3.3: an integer or real number, kept as its token text.</summary>
internal sealed class PdfNumber(string raw) : PdfObject
{
    public string Raw { get; } = raw;

    public PdfNumber(long value)
        : this(value.ToString(CultureInfo.InvariantCulture))
    {
    }

    public bool TryGetLong(out long value) => long.TryParse(Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public override void WriteTo(PdfTextWriter writer) => writer.Raw(Raw);
}

/// <summary>§7.3.4: a literal or hexadecimal string, kept as its whole token (delimiters included).</summary>
internal sealed class PdfString(byte[] token) : PdfObject
{
    public byte[] Token { get; } = token;

    /// <summary>A literal string for text the hub writes (§7.3.4.2): Latin-1 where it fits, else UTF-16BE with a BOM in hex.</summary>
    public static PdfString Text(string text)
    {
        if (text.All(c => c is >= ' ' and <= '~'))
        {
            var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal);
            return new PdfString(Encoding.Latin1.GetBytes("(" + escaped + ")"));
        }

        // §7.9.2.2: text strings outside PDFDocEncoding are UTF-16BE with a byte order mark.
        var bytes = new byte[] { 0xFE, 0xFF }.Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray();
        return new PdfString(Encoding.ASCII.GetBytes("<" + Convert.ToHexString(bytes) + ">"));
    }

    public override void WriteTo(PdfTextWriter writer) => writer.Raw(Token);
}

/// <summary>§7.3.2 and §7.3.9: true, false and null.</summary>
internal sealed class PdfKeyword(string raw) : PdfObject
{
    public static PdfKeyword Null { get; } = new("null");

    public string Raw { get; } = raw;

    public override void WriteTo(PdfTextWriter writer) => writer.Raw(Raw);
}

/// <summary>§7.3.10: an indirect reference "n g R".</summary>
internal sealed class PdfReference(int number, int generation) : PdfObject
{
    public int Number { get; } = number;

    public int Generation { get; } = generation;

    public override void WriteTo(PdfTextWriter writer) =>
        writer.Raw(string.Create(CultureInfo.InvariantCulture, $"{Number} {Generation} R"));

    public override bool Equals(object? obj) => obj is PdfReference other && other.Number == Number && other.Generation == Generation;

    public override int GetHashCode() => HashCode.Combine(Number, Generation);
}

/// <summary>§7.3.6: an array.</summary>
internal sealed class PdfArray : PdfObject
{
    public PdfArray(IEnumerable<PdfObject> items) => Items = [.. items];

    public PdfArray() => Items = [];

    public List<PdfObject> Items { get; }

    public override void WriteTo(PdfTextWriter writer)
    {
        writer.Raw("[");
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                writer.Raw(" ");
            }

            Items[i].WriteTo(writer);
        }

        writer.Raw("]");
    }
}

/// <summary>§7.3.7: a dictionary, in the order its keys were read or added.</summary>
internal sealed class PdfDictionary : PdfObject
{
    public OrderedDictionary<string, PdfObject> Entries { get; } = new(StringComparer.Ordinal);

    public PdfObject? this[string key]
    {
        get => Entries.TryGetValue(key, out var value) ? value : null;
        set
        {
            if (value is null)
            {
                Entries.Remove(key);
            }
            else
            {
                Entries[key] = value;
            }
        }
    }

    public PdfDictionary Clone()
    {
        var copy = new PdfDictionary();
        foreach (var (key, value) in Entries)
        {
            copy.Entries[key] = value;
        }

        return copy;
    }

    public bool IsName(string key, string name) => this[key] is PdfName n && n.Raw == name;

    public override void WriteTo(PdfTextWriter writer)
    {
        writer.Raw("<<");
        foreach (var (key, value) in Entries)
        {
            writer.Raw("/" + key + " ");
            value.WriteTo(writer);
            writer.Raw("\n");
        }

        writer.Raw(">>");
    }
}

/// <summary>§7.3.8: a stream as read from a file (its dictionary and its still-encoded data).</summary>
internal sealed class PdfStream(PdfDictionary dictionary, ReadOnlyMemory<byte> encoded) : PdfObject
{
    public PdfDictionary Dictionary { get; } = dictionary;

    public ReadOnlyMemory<byte> Encoded { get; } = encoded;

    public override void WriteTo(PdfTextWriter writer) =>
        throw new InvalidOperationException("Streams read from a file are never rewritten by an incremental update.");
}
