using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace IdentityHub.Core.Identity;

/// <summary>
/// A person's national identifier (docs/national-identifier.md): 11 digits, ten drawn at random by the hub and a
/// Verhoeff check digit. It says nothing about the person (no birth date, sex or place, unlike older schemes), never
/// starts with 0 (spreadsheets drop leading zeros), and is validated on every input.
/// </summary>
public readonly record struct NationalId
{
    public const int Length = 11;

    private NationalId(string value) => Value = value;

    public string Value { get; }

    /// <summary>A fresh identifier from the OS CSPRNG; uniqueness is the registry's job (unique index, retry on collision).</summary>
    public static NationalId NewId()
    {
        Span<char> digits = stackalloc char[Length];
        digits[0] = (char)('1' + RandomNumberGenerator.GetInt32(9));
        for (var i = 1; i < Length - 1; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        digits[Length - 1] = Verhoeff.CheckDigit(digits[..(Length - 1)]);
        return new NationalId(new string(digits));
    }

    /// <summary>Parses operator or citizen input; spaces and dashes people type for readability are ignored.</summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out NationalId? id, out string? error)
    {
        id = null;
        var compact = new string((input ?? string.Empty).Where(c => c is not (' ' or '-')).ToArray());
        error = compact switch
        {
            "" => "Enter a national identifier.",
            _ when !compact.All(char.IsAsciiDigit) => "A national identifier has digits only.",
            _ when compact.Length != Length => $"A national identifier has {Length} digits; this has {compact.Length}.",
            _ when compact[0] == '0' => "A national identifier never starts with 0.",
            _ when !Verhoeff.IsValid(compact) => "This national identifier is not valid: check for a mistyped digit.",
            _ => null,
        };
        if (error is null)
        {
            id = new NationalId(compact);
        }

        return error is null;
    }

    public static NationalId Parse(string input) =>
        TryParse(input, out var id, out var error) ? id.Value : throw new FormatException(error);

    public override string ToString() => Value;
}
