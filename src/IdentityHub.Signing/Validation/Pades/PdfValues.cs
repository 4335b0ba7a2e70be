namespace IdentityHub.Signing.Validation.Pades;

/// <summary>The PDF object types the signature reader needs (ISO 32000-1 §7.3), with the file offsets of strings.</summary>
internal abstract record PdfValue;

internal sealed record PdfNumber(decimal Value) : PdfValue
{
    public bool IsInteger => Value == decimal.Truncate(Value);
}

internal sealed record PdfName(string Value) : PdfValue;

/// <summary>A literal or hexadecimal string; Start and End are the file offsets of its delimiters ('(' or '&lt;' to after ')' or '&gt;').</summary>
internal sealed record PdfString(byte[] Bytes, bool Hex, int Start, int End) : PdfValue;

internal sealed record PdfArray(IReadOnlyList<PdfValue> Items) : PdfValue;

internal sealed record PdfDictionary(IReadOnlyDictionary<string, PdfValue> Entries, int Start, int End) : PdfValue
{
    public PdfValue? this[string key] => Entries.GetValueOrDefault(key);

    public string? Name(string key) => this[key] is PdfName name ? name.Value : null;
}

internal sealed record PdfReference(int Number, int Generation) : PdfValue;

internal sealed record PdfKeyword(string Value) : PdfValue;
