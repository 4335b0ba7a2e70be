namespace IdentityHub.Authentication.Passwords;

/// <summary>
/// Argon2id cost, bound from "Authentication:Argon2id". Defaults are OWASP's Password Storage Cheat Sheet minimum
/// (m = 19 MiB, t = 2, p = 1; RFC 9106 §4 second recommended option scaled down); the hub refuses anything weaker.
/// Raising them makes every stored hash "needs rehash", and each account is rehashed at its next successful sign-in.
/// </summary>
public sealed class Argon2idOptions
{
    public const string SectionName = "Authentication:Argon2id";

    public const int MinimumMemoryKiB = 19 * 1024;

    public const int MinimumIterations = 2;

    /// <summary>Memory cost in KiB (libsodium's crypto_pwhash runs with one lane, p = 1).</summary>
    public int MemoryKiB { get; set; } = MinimumMemoryKiB;

    /// <summary>Time cost: passes over memory.</summary>
    public int Iterations { get; set; } = MinimumIterations;

    /// <summary>
    /// How many password hashes a node computes at once (0: one per processor). Each takes MemoryKiB of memory and a
    /// core for its whole run: more at once only thrash the caches, and an unbounded number lets a flood of sign-ins
    /// exhaust memory. Further sign-ins wait their turn without holding a thread.
    /// </summary>
    public int MaxConcurrent { get; set; }
}
