namespace IdentityHub.Data.Accounts;

/// <summary>
/// A recovery letter: a one-time code (only its hash is kept) with which a citizen who lost their password or their
/// authenticators sets them again, keeping the eID, its keys and their consents. Printed at a counter after an officer
/// checked the person's identity, or posted to the registered address. Only the newest unused letter of an account works.
/// </summary>
public sealed class RecoveryLetterRecord
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    public required byte[] CodeHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Wrong codes tried against this letter, counted in the same statement as the guess; locked at the limit.</summary>
    public int FailedAttempts { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>
    /// When the letter was printed and its code made (at once at a counter). Null while a letter asked for by post waits
    /// for `hubctl recovery-letters print`: it then holds no usable code yet. Of an account's printed letters only the
    /// newest works.
    /// </summary>
    public DateTimeOffset? PrintedAt { get; set; }

    /// <summary>The officer (or "system" for a posted letter) who issued it.</summary>
    public required string IssuedBy { get; set; }

    /// <summary>"console", "api:{device}@{service point}" or "hubctl", as in the audit log.</summary>
    public required string Channel { get; set; }

    /// <summary>"counter" (handed over after an identity check) or "post" (to the registered address).</summary>
    public required string Delivery { get; set; }
}
