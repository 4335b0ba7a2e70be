using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IdentityHub.Signing.Tests.Validation.Inputs;

/// <summary>Byte-level edits of a signed PDF, each keeping every other byte where it was.</summary>
internal static partial class PdfEdits
{
    /// <summary>Rewrites the /ByteRange array in place, padded to its original width.</summary>
    public static byte[] WithByteRange(byte[] pdf, params long[] range)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var match = ByteRange().Match(text);
        var replacement = string.Join(' ', range.Select(r => r.ToString(CultureInfo.InvariantCulture)));
        if (replacement.Length > match.Groups[1].Length)
        {
            throw new InvalidOperationException("the new ByteRange does not fit");
        }

        return Encoding.Latin1.GetBytes(text[..match.Groups[1].Index] + replacement.PadRight(match.Groups[1].Length) + text[(match.Groups[1].Index + match.Groups[1].Length)..]);
    }

    public static long[] ByteRangeOf(byte[] pdf) =>
        [.. ByteRange().Match(Encoding.Latin1.GetString(pdf)).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => long.Parse(n, CultureInfo.InvariantCulture))];

    /// <summary>Replaces the first occurrence of <paramref name="from"/> by <paramref name="to"/> (same length).</summary>
    public static byte[] Replace(byte[] pdf, string from, string to)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return at < 0 || from.Length != to.Length ? throw new InvalidOperationException($"'{from}' not found") : Encoding.Latin1.GetBytes(text[..at] + to + text[(at + from.Length)..]);
    }

    [GeneratedRegex(@"/ByteRange \[([0-9 ]+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex ByteRange();
}
