using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Oidc;

/// <summary>
/// One of the OpenID provider's token-signing keys (decision 0018): the private key is a non-extractable object in the
/// HSM, found by <see cref="HsmKeyId"/>; this row says what it is published and used for, and when. A key is "next"
/// (published, never signs) until <see cref="ActivatedAt"/>, "current" (signs) until <see cref="RetiredAt"/>, then
/// "retired" (published, never signs) until <see cref="RemoveAfter"/>, after which it is no longer published. Rows are
/// kept after that, as the history of what signed when.
/// </summary>
public sealed class SigningKeyRecord
{
    /// <summary>The JWK thumbprint (RFC 7638, SHA-256, base64url): the "kid" of the key in the JWKS and in every token header.</summary>
    public required string Kid { get; set; }

    /// <summary>The key type as configuration names it ("P-256", "RSA-3072").</summary>
    public required string KeyAlgorithm { get; set; }

    /// <summary>CKA_ID of the private key in the token (hex).</summary>
    public required string HsmKeyId { get; set; }

    /// <summary>Keys made together (one EC, one RSA) share a generation; they move from state to state together.</summary>
    public int Generation { get; set; }

    /// <summary>"next", "current" or "retired" (SigningKeyStates).</summary>
    public required string State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the key became current and began to sign; null while it is next.</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>When it stopped signing; null while next or current.</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>The end of the grace period: the JWKS stops publishing a retired key after this instant.</summary>
    public DateTimeOffset? RemoveAfter { get; set; }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKeyRecord>
{
    public void Configure(EntityTypeBuilder<SigningKeyRecord> builder)
    {
        builder.ToTable("signing_keys", OidcEntityConfiguration.Schema);
        builder.HasKey(k => k.Kid);
        builder.Property(k => k.Kid).HasMaxLength(64);
        builder.Property(k => k.KeyAlgorithm).HasMaxLength(16);
        builder.Property(k => k.HsmKeyId).HasMaxLength(64);
        builder.Property(k => k.State).HasMaxLength(16);
        builder.HasIndex(k => k.HsmKeyId).IsUnique();
        builder.HasIndex(k => new { k.Generation, k.KeyAlgorithm }).IsUnique();
    }
}
