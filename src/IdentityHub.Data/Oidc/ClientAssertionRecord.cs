using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Oidc;

/// <summary>
/// A private_key_jwt client assertion's jti, kept until the assertion expires so it is accepted once (RFC 7523 §3,
/// item 7). The key (client, jti) makes the check one INSERT that two nodes cannot both win.
/// </summary>
public sealed class ClientAssertionRecord
{
    public required string ClientId { get; set; }

    public required string Jti { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class ClientAssertionConfiguration : IEntityTypeConfiguration<ClientAssertionRecord>
{
    public void Configure(EntityTypeBuilder<ClientAssertionRecord> builder)
    {
        builder.ToTable("client_assertions", OidcEntityConfiguration.Schema);
        builder.HasKey(a => new { a.ClientId, a.Jti });
        builder.Property(a => a.ClientId).HasMaxLength(100);
        builder.Property(a => a.Jti).HasMaxLength(200);
        builder.HasIndex(a => a.ExpiresAt);
    }
}
