using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Saml;

/// <summary>
/// A service provider a hub session has signed the citizen in to, so that one logout reaches it (a LogoutRequest with
/// the NameID and SessionIndex it got). A persistent pairwise NameID is recomputed, not stored (decision 0016); a
/// transient one exists only here, for the logout. Deleted with its session.
/// </summary>
public sealed class SessionServiceProviderRecord
{
    public Guid SessionId { get; set; }

    public required string SpEntityId { get; set; }

    /// <summary>The SessionIndex given to this SP for this session (random, not the hub's session id).</summary>
    public required string SessionIndex { get; set; }

    /// <summary>The transient NameID given, when the SP gets transient ones; null for persistent or national-id.</summary>
    public string? TransientNameId { get; set; }

    public required string NameIdFormat { get; set; }

    public DateTimeOffset FirstAt { get; set; }

    public DateTimeOffset LastAt { get; set; }
}

internal sealed class SessionServiceProviderConfiguration : IEntityTypeConfiguration<SessionServiceProviderRecord>
{
    public void Configure(EntityTypeBuilder<SessionServiceProviderRecord> builder)
    {
        builder.ToTable("session_service_providers", ServiceProviderConfiguration.Schema);
        builder.HasKey(s => new { s.SessionId, s.SpEntityId }).HasName("PK_saml_session_service_providers");
        builder.Property(s => s.SpEntityId).HasMaxLength(1024);
        builder.Property(s => s.SessionIndex).HasMaxLength(64);
        builder.Property(s => s.TransientNameId).HasMaxLength(64);
        builder.Property(s => s.NameIdFormat).HasMaxLength(16);
        builder.HasIndex(s => s.SessionIndex).IsUnique().HasDatabaseName("IX_saml_session_service_providers_SessionIndex");
        builder.HasOne<SessionRecord>().WithMany().HasForeignKey(s => s.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}
