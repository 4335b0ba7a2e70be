using System.Globalization;

namespace IdentityHub.Signing.Validation.Pades;

/// <summary>ISO 32000-1 §7.9.4 dates: D:YYYYMMDDHHmmSSOHH'mm', every part after the year optional.</summary>
internal static class PdfDate
{
    public static DateTimeOffset? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var s = text.StartsWith("D:", StringComparison.Ordinal) ? text[2..] : text;
        if (s.Length < 4 || !int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return null;
        }

        int Part(int index, int fallback) =>
            s.Length >= index + 2 && int.TryParse(s.AsSpan(index, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;

        var offset = TimeSpan.Zero;
        if (s.Length > 14 && s[14] is '+' or '-')
        {
            var hours = Part(15, 0);
            var minutes = s.Length >= 20 ? Part(18, 0) : 0;
            offset = new TimeSpan(hours, minutes, 0) * (s[14] == '-' ? -1 : 1);
        }

        try
        {
            return new DateTimeOffset(year, Part(4, 1), Part(6, 1), Part(8, 0), Part(10, 0), Part(12, 0), offset).ToUniversalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
