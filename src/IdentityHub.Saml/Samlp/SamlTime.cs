using System.Globalization;

namespace IdentityHub.Saml.Samlp;

/// <summary>saml-core-2.0-os §1.3.3: xs:dateTime values in UTC, "Z" and no other time zone.</summary>
internal static class SamlTime
{
    private static readonly string[] Formats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'",
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'FFFFFFF'Z'",
    ];

    public static DateTimeOffset? Parse(string? value) =>
        value is not null && DateTimeOffset.TryParseExact(value, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed)
            ? parsed
            : null;
}
