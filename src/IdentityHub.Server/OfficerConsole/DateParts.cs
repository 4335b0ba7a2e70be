using System.Globalization;

namespace IdentityHub.Server.OfficerConsole;

/// <summary>
/// A date typed into three number inputs (day, month, year: the GOV.UK date input pattern). It is read here into the
/// ISO form the services take; what is missing or not a real date is named here, with the field's label, so the
/// services only judge whether the date is allowed (in the past, not expired).
/// </summary>
internal sealed class DateParts
{
    public string? Day { get; set; }

    public string? Month { get; set; }

    public string? Year { get; set; }

    public static DateParts From(DateOnly date) => new()
    {
        Day = date.Day.ToString(CultureInfo.InvariantCulture),
        Month = date.Month.ToString(CultureInfo.InvariantCulture),
        Year = date.Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The date as yyyy-MM-dd, or null and the message to show (<paramref name="label"/> is the fieldset's legend, e.g. "Date of birth").</summary>
    public (string? Iso, string? Error) Read(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        var day = (Day ?? string.Empty).Trim();
        var month = (Month ?? string.Empty).Trim();
        var year = (Year ?? string.Empty).Trim();
        if (day.Length == 0 && month.Length == 0 && year.Length == 0)
        {
            return (null, $"Enter the {char.ToLowerInvariant(label[0])}{label[1..]}.");
        }

        string[] missing = [.. new[] { ("a day", day), ("a month", month), ("a year", year) }.Where(p => p.Item2.Length == 0).Select(p => p.Item1)];
        if (missing.Length > 0)
        {
            return (null, $"{label} must include {string.Join(" and ", missing)}.");
        }

        if (year.Length != 4 || !year.All(char.IsAsciiDigit))
        {
            return (null, $"{label}: the year must have 4 digits, for example {(label.Contains("birth", StringComparison.OrdinalIgnoreCase) ? "1984" : "2031")}.");
        }

        if (!int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            || !int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return (null, $"{label} must be a real date.");
        }

        return (new DateOnly(y, m, d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null);
    }
}
