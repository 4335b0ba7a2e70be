namespace IdentityHub.Data.Accounts;

/// <summary>
/// A security notice for an account holder, shown in their portal: an authenticator added or removed, the password
/// changed or reset, a recovery letter or a replacement eID issued. Every notice has an audit event beside it.
/// </summary>
public sealed class AccountNoticeRecord
{
    public long Id { get; set; }

    public Guid AccountId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A stable kind, e.g. "factor-added", "factor-removed", "password-changed", "eid-replaced"; the page words it.</summary>
    public required string Kind { get; set; }

    /// <summary>Values the page's text uses (JSON object of strings): the authenticator's name, the channel, …</summary>
    public required string Details { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}
