using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Saml;

/// <summary>
/// An AuthnRequest the IdP accepted (or an IdP-initiated sign-in it started) and has not answered yet: what the answer needs after the citizen's login (any node
/// may finish it), and the replay cache (an SP's request ID is accepted once: the unique index on SP and request ID).
/// </summary>
public sealed class SamlRequestRecord
{
    /// <summary>The hub's handle for the login in between (in the return URL); not the SP's ID.</summary>
    public Guid Id { get; set; }

    public required string SpEntityId { get; set; }

    /// <summary>
    /// The AuthnRequest's ID (becomes the Response's InResponseTo); null for an IdP-initiated (unsolicited) sign-in, which
    /// answers no request (PostgreSQL's unique index treats NULLs as distinct, so such rows never collide).
    /// </summary>
    public string? RequestId { get; set; }

    /// <summary>The ACS URL the answer goes to (one from the SP's metadata).</summary>
    public required string AcsUrl { get; set; }

    public string? RelayState { get; set; }

    /// <summary>
    /// The eIDAS levels the answer may state (low, substantial, high; space-separated, lowest first), from the
    /// RequestedAuthnContext and the SP's minimum: the citizen signs in at least at the first.
    /// </summary>
    public required string Levels { get; set; }

    public bool ForceAuthn { get; set; }

    /// <summary>The NameID format the request asked for (NameIDPolicy), when it asked.</summary>
    public string? NameIdFormat { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the answer was sent; a second answer is refused.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }
}

internal sealed class SamlRequestConfiguration : IEntityTypeConfiguration<SamlRequestRecord>
{
    public void Configure(EntityTypeBuilder<SamlRequestRecord> builder)
    {
        builder.ToTable("requests", ServiceProviderConfiguration.Schema);
        builder.HasKey(r => r.Id).HasName("PK_saml_requests");
        builder.Property(r => r.SpEntityId).HasMaxLength(1024);
        builder.Property(r => r.RequestId).HasMaxLength(256);
        builder.Property(r => r.AcsUrl).HasMaxLength(2000);
        builder.Property(r => r.RelayState).HasMaxLength(80);
        builder.Property(r => r.Levels).HasMaxLength(32);
        builder.Property(r => r.NameIdFormat).HasMaxLength(128);
        builder.HasIndex(r => new { r.SpEntityId, r.RequestId }).IsUnique().HasDatabaseName("IX_saml_requests_SpEntityId_RequestId");
        builder.HasIndex(r => r.ExpiresAt).HasDatabaseName("IX_saml_requests_ExpiresAt");
    }
}
