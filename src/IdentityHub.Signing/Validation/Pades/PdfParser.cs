using System.Globalization;
using System.Text;
using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Validation.Pades;

/// <summary>
/// A small strict parser for the direct objects of one PDF object (ISO 32000-1 §7.2 lexical conventions, §7.3
/// objects), enough to read signature, field and DSS dictionaries from hostile files: nesting, entries, string sizes
/// and the total work are bounded, and anything unexpected is a <see cref="DocumentRejectedException"/>.
/// </summary>
internal sealed class PdfParser(ReadOnlyMemory<byte> file, int position)
{
    private const int MaxDepth = 32;
    private const int MaxEntries = 4096;
    private const int MaxStringBytes = 16 << 20;
    private const int MaxTokens = 1 << 20;

    private readonly ReadOnlyMemory<byte> _file = file;
    private int _tokens;

    public int Position { get; private set; } = position;

    public PdfValue ReadValue() => Value(0);

    private PdfValue Value(int depth)
    {
        if (depth > MaxDepth || ++_tokens > MaxTokens)
        {
            throw Damaged("objects are nested too deeply or are too large");
        }

        SkipWhitespace();
        var span = _file.Span;
        if (Position >= span.Length)
        {
            throw Damaged("an object is truncated");
        }

        var c = span[Position];
        switch (c)
        {
            case (byte)'/':
                return new PdfName(NameToken());
            case (byte)'(':
                return LiteralString();
            case (byte)'[':
                Position++;
                var items = new List<PdfValue>();
                while (true)
                {
                    SkipWhitespace();
                    if (Position < span.Length && span[Position] == ']')
                    {
                        Position++;
                        return new PdfArray(items);
                    }

                    if (items.Count >= MaxEntries)
                    {
                        throw Damaged("an array is too long");
                    }

                    items.Add(Reference(Value(depth + 1), depth));
                }

            case (byte)'<' when Position + 1 < span.Length && span[Position + 1] == '<':
                return Dictionary(depth);
            case (byte)'<':
                return HexString();
            default:
                if (c is (byte)'+' or (byte)'-' or (byte)'.' || char.IsAsciiDigit((char)c))
                {
                    return Number();
                }

                return new PdfKeyword(Regular());
        }
    }

    private PdfDictionary Dictionary(int depth)
    {
        var span = _file.Span;
        var start = Position;
        Position += 2;
        var entries = new Dictionary<string, PdfValue>(StringComparer.Ordinal);
        while (true)
        {
            SkipWhitespace();
            if (Position + 1 < span.Length && span[Position] == '>' && span[Position + 1] == '>')
            {
                Position += 2;
                return new PdfDictionary(entries, start, Position);
            }

            if (Position >= span.Length || span[Position] != '/')
            {
                throw Damaged("a dictionary key is not a name");
            }

            if (entries.Count >= MaxEntries)
            {
                throw Damaged("a dictionary has too many entries");
            }

            var key = NameToken();
            entries[key] = Reference(Value(depth + 1), depth);
        }
    }

    // "n g R" is read as two numbers and a keyword; fold them into a reference (§7.3.10).
    private PdfValue Reference(PdfValue value, int depth)
    {
        if (value is not PdfNumber { IsInteger: true } number || number.Value < 0 || number.Value > int.MaxValue)
        {
            return value;
        }

        var saved = Position;
        var savedTokens = _tokens;
        SkipWhitespace();
        var span = _file.Span;
        if (Position < span.Length && char.IsAsciiDigit((char)span[Position]) && Value(depth + 1) is PdfNumber { IsInteger: true, Value: >= 0 and <= 65535 } generation)
        {
            SkipWhitespace();
            if (Position < span.Length && span[Position] == 'R' && (Position + 1 >= span.Length || IsDelimiterOrWhitespace(span[Position + 1])))
            {
                Position++;
                return new PdfReference(checked((int)number.Value), checked((int)generation.Value));
            }
        }

        Position = saved;
        _tokens = savedTokens;
        return value;
    }

    private string NameToken()
    {
        Position++; // '/'
        var text = Regular();
        return text.Contains('#', StringComparison.Ordinal) ? DecodeNameEscapes(text) : text;
    }

    private string Regular()
    {
        var span = _file.Span;
        var start = Position;
        while (Position < span.Length && !IsDelimiterOrWhitespace(span[Position]))
        {
            if (Position - start > 256)
            {
                throw Damaged("a name or keyword is too long");
            }

            Position++;
        }

        return Encoding.Latin1.GetString(span[start..Position]);
    }

    private PdfNumber Number()
    {
        var text = Regular();
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? new PdfNumber(value)
            : throw Damaged($"'{text}' is not a number");
    }

    private PdfString HexString()
    {
        var span = _file.Span;
        var start = Position++;
        var end = span[Position..].IndexOf((byte)'>');
        if (end < 0 || end > 2 * MaxStringBytes)
        {
            throw Damaged("a hexadecimal string is not closed");
        }

        var bytes = new List<byte>(end / 2);
        var high = -1;
        foreach (var b in span.Slice(Position, end))
        {
            if (IsWhitespace(b))
            {
                continue;
            }

            var nibble = HexValue(b);
            if (high < 0)
            {
                high = nibble;
            }
            else
            {
                bytes.Add((byte)((high << 4) | nibble));
                high = -1;
            }
        }

        if (high >= 0)
        {
            bytes.Add((byte)(high << 4)); // §7.3.4.3: a final odd digit is followed by an implied 0
        }

        Position += end + 1;
        return new PdfString([.. bytes], true, start, Position);
    }

    private PdfString LiteralString()
    {
        var span = _file.Span;
        var start = Position++;
        var bytes = new List<byte>();
        var nesting = 1;
        while (true)
        {
            if (Position >= span.Length || bytes.Count > MaxStringBytes)
            {
                throw Damaged("a literal string is not closed");
            }

            var b = span[Position++];
            if (b == '\\' && Position < span.Length)
            {
                var next = span[Position++];
                bytes.Add(next switch
                {
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    _ when next is >= (byte)'0' and <= (byte)'7' => Octal(span, next),
                    _ => next,
                });
                continue;
            }

            nesting += b == '(' ? 1 : b == ')' ? -1 : 0;
            if (nesting == 0)
            {
                return new PdfString([.. bytes], false, start, Position);
            }

            bytes.Add(b);
        }
    }

    private byte Octal(ReadOnlySpan<byte> span, byte first)
    {
        var value = first - '0';
        for (var i = 0; i < 2 && Position < span.Length && span[Position] is >= (byte)'0' and <= (byte)'7'; i++)
        {
            value = (value * 8) + (span[Position++] - '0');
        }

        return (byte)value;
    }

    public void SkipWhitespace()
    {
        var span = _file.Span;
        while (Position < span.Length)
        {
            if (IsWhitespace(span[Position]))
            {
                Position++;
            }
            else if (span[Position] == '%')
            {
                while (Position < span.Length && span[Position] is not ((byte)'\r' or (byte)'\n'))
                {
                    Position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    public static bool IsWhitespace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    public static bool IsDelimiterOrWhitespace(byte b) => IsWhitespace(b) || b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => throw Damaged("a hexadecimal string holds a non-hex character"),
    };

    private static string DecodeNameEscapes(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '#' && i + 2 < name.Length && int.TryParse(name.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                builder.Append((char)value);
                i += 2;
            }
            else
            {
                builder.Append(name[i]);
            }
        }

        return builder.ToString();
    }

    public static DocumentRejectedException Damaged(string why) => new(DocumentProblems.DamagedPdf, $"The PDF is damaged: {why}.");
}
