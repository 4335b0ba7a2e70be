using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Saml;

/// <summary>
/// One Single Logout (saml-profiles-2.0-os §4.4) the IdP is carrying through the citizen's browser: the hub sessions it
/// ended, the SPs it still has to tell (<see cref="SamlLogoutPartyRecord"/>), and where it ends — a LogoutResponse to the
/// SP that asked (SP-initiated), or a hub page (IdP-initiated: the citizen signed out at the hub or at an OIDC agency).
/// The SP's request ID is accepted once (unique index on SP and request ID).
/// </summary>
public sealed class SamlLogoutRecord
{
    /// <summary>The hub's handle (random, in the continue URL and the browser's cookie).</summary>
    public Guid Id { get; set; }

    /// <summary>The account whose sessions ended (the audit's actor is its name).</summary>
    public Guid AccountId { get; set; }

    /// <summary>The hub sessions this logout ended (space-separated ids).</summary>
    public required string SessionIds { get; set; }

    /// <summary>The SP whose LogoutRequest started it; null when the hub did.</summary>
    public string? InitiatorEntityId { get; set; }

    public string? InitiatorRequestId { get; set; }

    public string? InitiatorRelayState { get; set; }

    /// <summary>Where the LogoutResponse to the initiator goes (its SingleLogoutService), and by which binding.</summary>
    public string? InitiatorResponseUrl { get; set; }

    public string? InitiatorBinding { get; set; }

    /// <summary>The OpenID Connect client whose logout request started it (it knows; it is not reported as untold).</summary>
    public string? InitiatorClientId { get; set; }

    /// <summary>IdP-initiated: the hub page (a local path) the citizen goes on to when every SP is told.</summary>
    public string? ReturnUrl { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the outcome was decided (and the initiator answered); a logout finishes once.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>True when some SP or OIDC client of the sessions was not confirmed logged out (saml-core §3.7.3.2 PartialLogout).</summary>
    public bool? Partial { get; set; }
}

/// <summary>An SP a logout has to tell: the LogoutRequest the IdP sent it, and its answer.</summary>
public sealed class SamlLogoutPartyRecord
{
    public Guid LogoutId { get; set; }

    public required string SpEntityId { get; set; }

    /// <summary>The NameID this SP got for the sessions (recomputed when the logout began; the sessions have ended since).</summary>
    public required string NameId { get; set; }

    public required string NameIdFormat { get; set; }

    public string? SpNameQualifier { get; set; }

    /// <summary>The SessionIndexes this SP got (space-separated; one per ended session that signed in to it).</summary>
    public required string SessionIndexes { get; set; }

    /// <summary>The LogoutRequest's ID (its LogoutResponse's InResponseTo); null until it is sent.</summary>
    public string? RequestId { get; set; }

    /// <summary>pending, sent, confirmed, refused (the SP answered with another status), unreachable (no SingleLogoutService).</summary>
    public required string Outcome { get; set; }

    /// <summary>The status the SP answered with (top-level, then second-level, space-separated).</summary>
    public string? StatusCode { get; set; }

    /// <summary>The order the SPs are told in: the order they were signed in to.</summary>
    public int Position { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }
}

internal sealed class SamlLogoutConfiguration : IEntityTypeConfiguration<SamlLogoutRecord>
{
    public void Configure(EntityTypeBuilder<SamlLogoutRecord> builder)
    {
        builder.ToTable("logouts", ServiceProviderConfiguration.Schema);
        builder.HasKey(l => l.Id).HasName("PK_saml_logouts");
        builder.Property(l => l.SessionIds).HasMaxLength(4000);
        builder.Property(l => l.InitiatorEntityId).HasMaxLength(1024);
        builder.Property(l => l.InitiatorRequestId).HasMaxLength(256);
        builder.Property(l => l.InitiatorRelayState).HasMaxLength(80);
        builder.Property(l => l.InitiatorResponseUrl).HasMaxLength(2000);
        builder.Property(l => l.InitiatorBinding).HasMaxLength(128);
        builder.Property(l => l.InitiatorClientId).HasMaxLength(200);
        builder.Property(l => l.ReturnUrl).HasMaxLength(4000);
        builder.HasIndex(l => new { l.InitiatorEntityId, l.InitiatorRequestId }).IsUnique().HasDatabaseName("IX_saml_logouts_Initiator");
        builder.HasIndex(l => l.ExpiresAt).HasDatabaseName("IX_saml_logouts_ExpiresAt");
    }
}

internal sealed class SamlLogoutPartyConfiguration : IEntityTypeConfiguration<SamlLogoutPartyRecord>
{
    public void Configure(EntityTypeBuilder<SamlLogoutPartyRecord> builder)
    {
        builder.ToTable("logout_parties", ServiceProviderConfiguration.Schema);
        builder.HasKey(p => new { p.LogoutId, p.SpEntityId }).HasName("PK_saml_logout_parties");
        builder.Property(p => p.SpEntityId).HasMaxLength(1024);
        builder.Property(p => p.NameId).HasMaxLength(1024);
        builder.Property(p => p.NameIdFormat).HasMaxLength(128);
        builder.Property(p => p.SpNameQualifier).HasMaxLength(1024);
        builder.Property(p => p.SessionIndexes).HasMaxLength(4000);
        builder.Property(p => p.RequestId).HasMaxLength(64);
        builder.Property(p => p.Outcome).HasMaxLength(16);
        builder.Property(p => p.StatusCode).HasMaxLength(300);
        builder.HasIndex(p => p.RequestId).IsUnique().HasDatabaseName("IX_saml_logout_parties_RequestId");
        builder.HasOne<SamlLogoutRecord>().WithMany().HasForeignKey(p => p.LogoutId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("FK_saml_logout_parties_logouts");
    }
}
