using System.Security.Cryptography;
using System.Text;

namespace IdentityHub.Core.Identity;

/// <summary>
/// One-time codes printed on letters (activation, account recovery): 12 characters of Crockford's base-32 alphabet
/// (60 bits from the OS CSPRNG), printed as XXXX-XXXX-XXXX. Only a hash bound to the purpose and to the record that
/// holds it is stored, so a hash copied from one letter or purpose to another never matches; with 60 bits, five tries
/// before lock-out and an expiry, neither guessing online nor inverting a leaked hash is practical.
/// </summary>
public static class LetterCodes
{
    public const int Length = 12;

    /// <summary>Purpose of the eID activation letter's code, bound to the eID.</summary>
    public const string EidActivation = "eid-activation";

    /// <summary>Purpose of the account recovery letter's code, bound to the letter.</summary>
    public const string AccountRecovery = "account-recovery";

    public static string New() => Crockford.Random(Length, 4);

    /// <summary>The stored form: SHA-256 over the purpose, the record's id and the normalised code.</summary>
    public static byte[] Hash(string purpose, Guid recordId, string code) =>
        SHA256.HashData(Encoding.ASCII.GetBytes($"{purpose}:{recordId:N}:{Normalise(code)}"));

    /// <summary>Constant-time comparison of a typed code with the stored hash.</summary>
    public static bool Matches(string purpose, Guid recordId, string typed, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(purpose, recordId, typed), storedHash);

    /// <summary>What people type: any case, with or without dashes and spaces, O for 0 and I/L for 1 (Crockford's decoding rules).</summary>
    public static string Normalise(string? typed) => Crockford.Normalise(typed);
}
