using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Saml;

/// <summary>
/// A LogoutRequest owed to one SP for one hub session that ended without the citizen's browser (a timeout, "sign out
/// other sessions", a disabled account), sent over the SAML SOAP binding to the SP's SOAP SingleLogoutService
/// (saml-profiles-2.0-os §4.4.3.1, saml-bindings-2.0-os §3.2). Queued in the transaction that ends the session, with
/// the NameID and SessionIndex the SP was given, then claimed by one hub node at a time (FOR UPDATE SKIP LOCKED) and
/// retried with back-off until the SP answers Success or the attempts run out. One row per (session, SP).
/// </summary>
public sealed class SamlBackChannelLogoutRecord
{
    public Guid Id { get; set; }

    public Guid SessionId { get; set; }

    public required string SpEntityId { get; set; }

    /// <summary>The SP's SOAP SingleLogoutService when the session ended: the only place the request goes.</summary>
    public required string Location { get; set; }

    public required string NameId { get; set; }

    public required string NameIdFormat { get; set; }

    public string? SpNameQualifier { get; set; }

    public required string SessionIndex { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Attempts started so far (a node counts one when it claims the row).</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; while a node holds the row, the end of its lease.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The ID of the last LogoutRequest sent (its LogoutResponse's InResponseTo).</summary>
    public string? RequestId { get; set; }

    /// <summary>What the last attempt got: an HTTP status, a SOAP fault or the SAML status the SP answered with.</summary>
    public string? LastStatus { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Set when the SP refused (a status other than Success) or the last allowed attempt failed: nothing more is tried.</summary>
    public DateTimeOffset? GaveUpAt { get; set; }
}

internal sealed class SamlBackChannelLogoutConfiguration : IEntityTypeConfiguration<SamlBackChannelLogoutRecord>
{
    public void Configure(EntityTypeBuilder<SamlBackChannelLogoutRecord> builder)
    {
        builder.ToTable("backchannel_logouts", ServiceProviderConfiguration.Schema);
        builder.HasKey(d => d.Id).HasName("PK_saml_backchannel_logouts");
        builder.Property(d => d.SpEntityId).HasMaxLength(1024);
        builder.Property(d => d.Location).HasMaxLength(2000);
        builder.Property(d => d.NameId).HasMaxLength(1024);
        builder.Property(d => d.NameIdFormat).HasMaxLength(128);
        builder.Property(d => d.SpNameQualifier).HasMaxLength(1024);
        builder.Property(d => d.SessionIndex).HasMaxLength(64);
        builder.Property(d => d.RequestId).HasMaxLength(64);
        builder.Property(d => d.LastStatus).HasMaxLength(300);
        builder.Property(d => d.LastError).HasMaxLength(300);
        builder.HasIndex(d => new { d.SessionId, d.SpEntityId }).IsUnique().HasDatabaseName("IX_saml_backchannel_logouts_Session_Sp");
        // The workers' query: what is due and neither delivered nor given up.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("\"DeliveredAt\" IS NULL AND \"GaveUpAt\" IS NULL").HasDatabaseName("IX_saml_backchannel_logouts_Due");
        builder.HasOne<SessionRecord>().WithMany().HasForeignKey(d => d.SessionId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("FK_saml_backchannel_logouts_sessions");
    }
}
