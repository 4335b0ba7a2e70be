using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Oidc;

/// <summary>
/// A DPoP proof's jti (RFC 9449 §11.1), kept while the proof could still be accepted, so each proof is used once. The
/// key (key thumbprint, jti) makes the check one INSERT that two nodes cannot both win.
/// </summary>
public sealed class DpopProofRecord
{
    /// <summary>The RFC 7638 thumbprint of the proof's key (base64url SHA-256).</summary>
    public required string Jkt { get; set; }

    public required string Jti { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class DpopProofConfiguration : IEntityTypeConfiguration<DpopProofRecord>
{
    public void Configure(EntityTypeBuilder<DpopProofRecord> builder)
    {
        builder.ToTable("dpop_proofs", OidcEntityConfiguration.Schema);
        builder.HasKey(a => new { a.Jkt, a.Jti });
        builder.Property(a => a.Jkt).HasMaxLength(64);
        builder.Property(a => a.Jti).HasMaxLength(200);
        builder.HasIndex(a => a.ExpiresAt);
    }
}
