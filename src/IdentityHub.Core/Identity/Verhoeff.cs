namespace IdentityHub.Core.Identity;

/// <summary>
/// The Verhoeff check digit (J. Verhoeff, 1969; dihedral group D5). Unlike Luhn or ISO 7064 MOD 11-2 it detects every
/// single-digit error and every transposition of adjacent digits, the two mistakes people make when typing numbers.
/// </summary>
public static class Verhoeff
{
    private static readonly byte[,] Multiplication =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
        { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
        { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 },
        { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly byte[,] Permutation =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
        { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
        { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 },
        { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly byte[] Inverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

    /// <summary>The digit to append to <paramref name="digits"/> (ASCII 0-9 only).</summary>
    public static char CheckDigit(ReadOnlySpan<char> digits) => (char)('0' + Inverse[Checksum(digits, appended: true)]);

    /// <summary>Whether the last digit of <paramref name="digitsWithCheck"/> is the right check digit.</summary>
    public static bool IsValid(ReadOnlySpan<char> digitsWithCheck) => digitsWithCheck.Length > 1 && Checksum(digitsWithCheck, appended: false) == 0;

    private static int Checksum(ReadOnlySpan<char> digits, bool appended)
    {
        var c = 0;
        var offset = appended ? 1 : 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (d is < 0 or > 9)
            {
                throw new FormatException("Only the digits 0-9 carry a Verhoeff check digit.");
            }

            c = Multiplication[c, Permutation[(i + offset) % 8, d]];
        }

        return c;
    }
}
