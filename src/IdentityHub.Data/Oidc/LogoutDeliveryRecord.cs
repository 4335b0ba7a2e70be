using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Oidc;

/// <summary>
/// A back-channel logout token owed to one client for one ended hub session (OpenID Connect Back-Channel Logout 1.0):
/// queued in the transaction that ends the session, then claimed by one hub node at a time (FOR UPDATE SKIP LOCKED) and
/// retried with back-off until the client answers 2xx or the attempts run out. One row per (session, client).
/// </summary>
public sealed class LogoutDeliveryRecord
{
    public Guid Id { get; set; }

    public Guid SessionId { get; set; }

    public required string ClientId { get; set; }

    /// <summary>The client's registered back-channel logout URI when the session ended: the only place the token goes.</summary>
    public required string LogoutUri { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Attempts started so far (a node counts one when it claims the row).</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; while a node holds the row, the end of its lease.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The HTTP status of the last attempt, or null when none came back (timeout, refused connection).</summary>
    public int? LastStatus { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Set when the last allowed attempt failed: nothing more is tried.</summary>
    public DateTimeOffset? GaveUpAt { get; set; }
}

internal sealed class LogoutDeliveryConfiguration : IEntityTypeConfiguration<LogoutDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<LogoutDeliveryRecord> builder)
    {
        builder.ToTable("logout_deliveries", OidcEntityConfiguration.Schema);
        builder.HasKey(d => d.Id);
        builder.Property(d => d.ClientId).HasMaxLength(100);
        builder.Property(d => d.LogoutUri).HasMaxLength(2048);
        builder.Property(d => d.LastError).HasMaxLength(300);
        builder.HasIndex(d => new { d.SessionId, d.ClientId }).IsUnique();
        // The workers' query: what is due and neither delivered nor given up.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("\"DeliveredAt\" IS NULL AND \"GaveUpAt\" IS NULL");
        builder.HasOne<SessionRecord>().WithMany().HasForeignKey(d => d.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}
