namespace IdentityHub.Data.Accounts;

/// <summary>
/// A signed-in session (citizen portal or officer console). The cookie carries only its id; this row is the truth, so a
/// session ended on one node is ended on all, and a citizen can see and end their other sessions.
/// </summary>
public sealed class SessionRecord
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>"citizen", "staff" (the officer console) or "counter" (an officer signed in on a counter device).</summary>
    public required string Audience { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>The absolute end: the session ends then however active it is.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>signed-out, ended-by-user, idle, expired, password-changed, disabled …</summary>
    public string? EndReason { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Every authentication in this session, in order (JSON list of method, time and flags).</summary>
    public required string Authentications { get; set; }

    /// <summary>The level of assurance the authentications reach (a URI), kept for listing and audit.</summary>
    public required string Level { get; set; }

    /// <summary>
    /// The account's roles when the session began (sorted, space-separated; empty for citizens): a cookie whose roles
    /// differ from these is refused, and a role change ends the account's sessions.
    /// </summary>
    public string Roles { get; set; } = "";

    /// <summary>For a "counter" session: the API credential of the device the officer signed in on; the session works only with it.</summary>
    public Guid? ApiCredentialId { get; set; }

    /// <summary>For a "counter" session: the service point of that device.</summary>
    public string? ServicePoint { get; set; }

    /// <summary>For a "counter" session: SHA-256 of the secret of its officer-session token (the token is shown once).</summary>
    public byte[]? TokenHash { get; set; }
}
