using System.Security.Cryptography;
using IdentityHub.Core.Identity;

namespace IdentityHub.Enrolment.Issuance;

/// <summary>
/// eID document numbers: "ID", eleven random digits and a Verhoeff check digit (e.g. ID58392017463). Random, so a number
/// says nothing about when or where it was issued; the check digit catches a mistyped number at the counter.
/// Uniqueness is the registry's unique index; a collision is drawn again (EidIssuer).
/// </summary>
public static class DocumentNumbers
{
    public const string Prefix = "ID";

    /// <summary>10^11 numbers: with ten million eIDs issued, a new draw meets an existing number once in ten thousand.</summary>
    private const int RandomDigits = 11;

    public static string New()
    {
        Span<char> digits = stackalloc char[RandomDigits + 1];
        for (var i = 0; i < RandomDigits; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        digits[RandomDigits] = Verhoeff.CheckDigit(digits[..RandomDigits]);
        return Prefix + new string(digits);
    }

    public static bool IsValid(string? value) =>
        value is { Length: 2 + RandomDigits + 1 } && value.StartsWith(Prefix, StringComparison.Ordinal) && value.Skip(2).All(char.IsAsciiDigit)
        && Verhoeff.IsValid(value.AsSpan(2));
}
