using System.Security.Cryptography;
using System.Text;

namespace IdentityHub.Core.Identity;

/// <summary>
/// Crockford's base 32 for codes people type from paper (activation letters, recovery codes): no I, L, O or U, so
/// nothing reads as 1, 0 or a word, and typing is forgiving (any case, dashes and spaces ignored, O for 0, I and L for 1).
/// </summary>
public static class Crockford
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Random characters from the OS CSPRNG (5 bits each), in groups of <paramref name="group"/> joined by dashes.</summary>
    public static string Random(int length, int group)
    {
        var builder = new StringBuilder(length + (length / group));
        for (var i = 0; i < length; i++)
        {
            if (i > 0 && i % group == 0)
            {
                builder.Append('-');
            }

            builder.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>What people type, as stored: upper case, no dashes or spaces, O as 0 and I/L as 1.</summary>
    public static string Normalise(string? typed)
    {
        var builder = new StringBuilder(typed?.Length ?? 0);
        foreach (var c in (typed ?? string.Empty).ToUpperInvariant())
        {
            switch (c)
            {
                case '-' or ' ':
                    continue;
                case 'O':
                    builder.Append('0');
                    break;
                case 'I' or 'L':
                    builder.Append('1');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
