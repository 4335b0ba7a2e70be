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
    public const int Length = 12;

    public static string New() => Crockford.Random(Length, 4);

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
    public static string Normalise(string? typed) => Crockford.Normalise(typed);
}
