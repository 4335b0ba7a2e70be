using System.Security.Cryptography;
using System.Text;

namespace IdentityHub.Core.Identity;

/// <summary>
/// One-time activation codes for the letter: 12 characters of Crockford's base-32 alphabet (60 bits from the OS CSPRNG),
/// printed as XXXX-XXXX-XXXX. Only a hash bound to the eID is stored; with 60 bits, five tries before lock-out and an
/// expiry, neither guessing online nor inverting a leaked hash is practical.
/// </summary>
public static class ActivationCodes
{
    /// <summary>Crockford base 32: no I, L, O or U, so nothing reads as 1, 0 or a word.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public const int Length = 12;

    public static string New()
    {
        Span<char> code = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            code[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return $"{code[..4]}-{code[4..8]}-{code[8..]}";
    }

    /// <summary>The stored form: SHA-256 over the eID id and the normalised code.</summary>
    public static byte[] Hash(Guid eidId, string code)
    {
        var normalised = Normalise(code);
        return SHA256.HashData(Encoding.ASCII.GetBytes($"eid-activation:{eidId:N}:{normalised}"));
    }

    /// <summary>Constant-time comparison of a typed code with the stored hash.</summary>
    public static bool Matches(Guid eidId, string typed, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(eidId, typed), storedHash);

    /// <summary>What people type: any case, with or without dashes and spaces, O for 0 and I/L for 1 (Crockford's decoding rules).</summary>
    public static string Normalise(string? typed)
    {
        var builder = new StringBuilder(Length);
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
