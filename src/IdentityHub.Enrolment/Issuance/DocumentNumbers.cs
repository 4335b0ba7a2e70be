using System.Security.Cryptography;
using IdentityHub.Core.Identity;

namespace IdentityHub.Enrolment.Issuance;

/// <summary>
/// eID document numbers: "ID", eight random digits and a Verhoeff check digit (e.g. ID583920174). Random, so a number
/// says nothing about when or where it was issued; the check digit catches a mistyped number at the counter.
/// Uniqueness is the registry's unique index (a collision, one in 10^8 per pair, is retried).
/// </summary>
public static class DocumentNumbers
{
    public const string Prefix = "ID";

    public static string New()
    {
        Span<char> digits = stackalloc char[9];
        for (var i = 0; i < 8; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        digits[8] = Verhoeff.CheckDigit(digits[..8]);
        return Prefix + new string(digits);
    }

    public static bool IsValid(string? value) =>
        value is { Length: 11 } && value.StartsWith(Prefix, StringComparison.Ordinal) && value.Skip(2).All(char.IsAsciiDigit)
        && Verhoeff.IsValid(value.AsSpan(2));
}
