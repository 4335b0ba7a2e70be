using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Saml;

/// <summary>
/// The IdP's signing key: a non-extractable key in the HSM (found by <see cref="HsmKeyId"/>) and the self-signed
/// certificate the metadata publishes for it (SAML trusts the key in the metadata, not a CA). "current" signs; "next" is
/// published before it signs; "retired" is no longer published.
/// </summary>
public sealed class SamlSigningKeyRecord
{
    /// <summary>CKA_ID of the private key in the token (hex).</summary>
    public required string HsmKeyId { get; set; }

    /// <summary>The key type as configuration names it ("RSA-3072", "P-256").</summary>
    public required string KeyAlgorithm { get; set; }

    public required byte[] CertificateDer { get; set; }

    public required string State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ActivatedAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }
}

internal sealed class SamlSigningKeyConfiguration : IEntityTypeConfiguration<SamlSigningKeyRecord>
{
    public void Configure(EntityTypeBuilder<SamlSigningKeyRecord> builder)
    {
        builder.ToTable("signing_keys", ServiceProviderConfiguration.Schema,
            t => t.HasCheckConstraint("CK_signing_keys_state", "\"State\" IN ('next', 'current', 'retired')"));
        builder.HasKey(k => k.HsmKeyId).HasName("PK_saml_signing_keys");
        builder.Property(k => k.HsmKeyId).HasMaxLength(64);
        builder.Property(k => k.KeyAlgorithm).HasMaxLength(16);
        builder.Property(k => k.State).HasMaxLength(16);
        // At most one current key: two nodes creating the first key at once cannot both succeed.
        builder.HasIndex(k => k.State).IsUnique().HasFilter("\"State\" = 'current'").HasDatabaseName("IX_saml_signing_keys_current");
    }
}
