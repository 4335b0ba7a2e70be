using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Oidc;

/// <summary>
/// An OpenID Connect client a hub session has signed the citizen in to, so that one logout reaches every agency
/// (Back-Channel Logout 1.0) and the citizen portal can list them. No subject is stored: a row per agency with its
/// pairwise sub would link the citizen's subjects across sectors in a dump (decision 0016); the sub is recomputed from
/// the session's account when a logout token is made (decision 0019). Deleted with its session.
/// </summary>
public sealed class SessionClientRecord
{
    public Guid SessionId { get; set; }

    public required string ClientId { get; set; }

    public DateTimeOffset FirstAt { get; set; }

    public DateTimeOffset LastAt { get; set; }
}

internal sealed class SessionClientConfiguration : IEntityTypeConfiguration<SessionClientRecord>
{
    public void Configure(EntityTypeBuilder<SessionClientRecord> builder)
    {
        builder.ToTable("session_clients", OidcEntityConfiguration.Schema);
        builder.HasKey(c => new { c.SessionId, c.ClientId });
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.HasOne<SessionRecord>().WithMany().HasForeignKey(c => c.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}
