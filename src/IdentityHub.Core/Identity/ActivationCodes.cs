namespace IdentityHub.Core.Identity;

/// <summary>The activation letter's one-time code (<see cref="LetterCodes"/>), its hash bound to the eID.</summary>
public static class ActivationCodes
{
    public const int Length = LetterCodes.Length;

    public static string New() => LetterCodes.New();

    /// <summary>The stored form: SHA-256 over the eID id and the normalised code.</summary>
    public static byte[] Hash(Guid eidId, string code) => LetterCodes.Hash(LetterCodes.EidActivation, eidId, code);

    /// <summary>Constant-time comparison of a typed code with the stored hash.</summary>
    public static bool Matches(Guid eidId, string typed, byte[] storedHash) => LetterCodes.Matches(LetterCodes.EidActivation, eidId, typed, storedHash);

    /// <summary>What people type: any case, with or without dashes and spaces, O for 0 and I/L for 1 (Crockford's decoding rules).</summary>
    public static string Normalise(string? typed) => LetterCodes.Normalise(typed);
}
