using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Saml;

/// <summary>
/// A citizen's consent to a SAML service provider (docs/saml.md "Consent"): what the SP may receive, keyed by the
/// account id (not a NameID, which is pairwise per sector; see decision 0020 for the same choice in OIDC). One row per
/// account and SP; a later grant widens it. Withdrawing deletes the row; so does removing the account or the SP.
/// </summary>
public sealed class SamlConsentRecord
{
    public Guid AccountId { get; set; }

    public required string SpEntityId { get; set; }

    /// <summary>What was allowed, space-separated, sorted (NameID, NationalId and eIDAS friendly names; see SamlConsentItems).</summary>
    public required string Attributes { get; set; }

    public DateTimeOffset GrantedAt { get; set; }
}

internal sealed class SamlConsentConfiguration : IEntityTypeConfiguration<SamlConsentRecord>
{
    public void Configure(EntityTypeBuilder<SamlConsentRecord> builder)
    {
        builder.ToTable("consents", ServiceProviderConfiguration.Schema);
        builder.HasKey(c => new { c.AccountId, c.SpEntityId }).HasName("PK_saml_consents");
        builder.Property(c => c.SpEntityId).HasMaxLength(1024);
        builder.Property(c => c.Attributes).HasMaxLength(500);
        builder.HasIndex(c => c.SpEntityId).HasDatabaseName("IX_saml_consents_SpEntityId");
        builder.HasOne<HubAccount>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("FK_saml_consents_users");
        builder.HasOne<ServiceProviderRecord>().WithMany().HasForeignKey(c => c.SpEntityId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("FK_saml_consents_service_providers");
    }
}
