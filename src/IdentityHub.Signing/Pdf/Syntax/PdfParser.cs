using System.Text;

namespace IdentityHub.Signing.Pdf.Syntax;

/// <summary>The file's syntax is broken where the structure must be read; the document is refused as damaged.</summary>
internal sealed class PdfSyntaxException(string message) : Exception(message);

/// <summary>
/// Reads PDF objects (ISO 32000-1 §7.2 lexical conventions, §7.3 objects) from a byte buffer. Bounded: nesting deeper
/// than <see cref="MaxDepth"/> or a token running off the end is refused rather than followed.
/// </summary>
internal sealed class PdfParser(ReadOnlyMemory<byte> data, int position = 0)
{
    public const int MaxDepth = 64;

    public int Position { get; set; } = position;

    private ReadOnlySpan<byte> Span => data.Span;

    /// <summary>§7.2.2: white-space characters.</summary>
    public static bool IsWhite(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    /// <summary>§7.2.2: delimiter characters.</summary>
    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    public void SkipWhiteAndComments()
    {
        var span = Span;
        while (Position < span.Length)
        {
            if (IsWhite(span[Position]))
            {
                Position++;
            }
            else if (span[Position] == '%')
            {
                while (Position < span.Length && span[Position] is not (10 or 13))
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

    /// <summary>The next regular-character token (a keyword or number) without consuming it; empty at a delimiter.</summary>
    public string PeekToken()
    {
        var saved = Position;
        var token = ReadToken();
        Position = saved;
        return token;
    }

    public string ReadToken()
    {
        SkipWhiteAndComments();
        var span = Span;
        var start = Position;
        while (Position < span.Length && !IsWhite(span[Position]) && !IsDelimiter(span[Position]))
        {
            Position++;
        }

        return Encoding.Latin1.GetString(span[start..Position]);
    }

    public void Expect(string keyword)
    {
        var token = ReadToken();
        if (token != keyword)
        {
            throw new PdfSyntaxException($"Expected '{keyword}' at offset {Position}, found '{Truncate(token)}'.");
        }
    }

    public long ReadInteger()
    {
        var token = ReadToken();
        return long.TryParse(token, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new PdfSyntaxException($"Expected an integer at offset {Position}, found '{Truncate(token)}'.");
    }

    public PdfObject ReadObject(int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new PdfSyntaxException("Objects nest too deeply.");
        }

        SkipWhiteAndComments();
        var span = Span;
        if (Position >= span.Length)
        {
            throw new PdfSyntaxException("Unexpected end of file inside an object.");
        }

        switch (span[Position])
        {
            case (byte)'/':
                return ReadName();
            case (byte)'(':
                return ReadLiteralString();
            case (byte)'[':
                Position++;
                var array = new PdfArray();
                while (true)
                {
                    SkipWhiteAndComments();
                    if (Position >= Span.Length)
                    {
                        throw new PdfSyntaxException("Unterminated array.");
                    }

                    if (Span[Position] == ']')
                    {
                        Position++;
                        return array;
                    }

                    array.Items.Add(ReadObject(depth + 1));
                }

            case (byte)'<' when Position + 1 < span.Length && span[Position + 1] == '<':
                return ReadDictionary(depth);
            case (byte)'<':
                return ReadHexString();
            default:
                return ReadNumberReferenceOrKeyword();
        }
    }

    private PdfDictionary ReadDictionary(int depth)
    {
        Position += 2;
        var dictionary = new PdfDictionary();
        while (true)
        {
            SkipWhiteAndComments();
            if (Position + 1 >= Span.Length)
            {
                throw new PdfSyntaxException("Unterminated dictionary.");
            }

            if (Span[Position] == '>' && Span[Position + 1] == '>')
            {
                Position += 2;
                return dictionary;
            }

            if (ReadObject(depth + 1) is not PdfName key)
            {
                throw new PdfSyntaxException($"A dictionary key is not a name at offset {Position}.");
            }

            dictionary.Entries[key.Raw] = ReadObject(depth + 1);
        }
    }

    private PdfName ReadName()
    {
        var span = Span;
        var start = ++Position;
        while (Position < span.Length && !IsWhite(span[Position]) && !IsDelimiter(span[Position]))
        {
            Position++;
        }

        return new PdfName(Encoding.Latin1.GetString(span[start..Position]));
    }

    /// <summary>§7.3.4.2: balanced parentheses may appear unescaped; a backslash escapes the next byte.</summary>
    private PdfString ReadLiteralString()
    {
        var span = Span;
        var start = Position++;
        var open = 1;
        while (open > 0)
        {
            if (Position >= span.Length)
            {
                throw new PdfSyntaxException("Unterminated string.");
            }

            switch (span[Position])
            {
                case (byte)'\\':
                    Position++;
                    break;
                case (byte)'(':
                    open++;
                    break;
                case (byte)')':
                    open--;
                    break;
            }

            Position++;
        }

        return new PdfString(span[start..Position].ToArray());
    }

    private PdfString ReadHexString()
    {
        var span = Span;
        var end = span[Position..].IndexOf((byte)'>');
        if (end < 0)
        {
            throw new PdfSyntaxException("Unterminated hexadecimal string.");
        }

        var token = span.Slice(Position, end + 1).ToArray();
        Position += end + 1;
        return new PdfString(token);
    }

    private PdfObject ReadNumberReferenceOrKeyword()
    {
        var token = ReadToken();
        switch (token)
        {
            case "":
                throw new PdfSyntaxException($"Unexpected '{(char)Span[Position]}' at offset {Position}.");
            case "true" or "false" or "null":
                return token == "null" ? PdfKeyword.Null : new PdfKeyword(token);
        }

        if (!IsNumber(token))
        {
            throw new PdfSyntaxException($"Unexpected token '{Truncate(token)}' at offset {Position}.");
        }

        // §7.3.10: "n g R" is a reference; look ahead two tokens without consuming them otherwise.
        if (int.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= 0)
        {
            var saved = Position;
            var generation = ReadToken();
            if (int.TryParse(generation, System.Globalization.CultureInfo.InvariantCulture, out var g) && g >= 0 && ReadToken() == "R")
            {
                return new PdfReference(number, g);
            }

            Position = saved;
        }

        return new PdfNumber(token);
    }

    private static bool IsNumber(string token) =>
        token.Length > 0 && token.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or '.') && token.Any(char.IsAsciiDigit);

    private static string Truncate(string token) => token.Length > 20 ? token[..20] : token;
}
