using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Saml;

/// <summary>
/// A relying agency's SAML service provider, registered from its metadata (saml-metadata-2.0-os). The metadata as
/// imported is kept whole (its ACS URLs, keys and wishes are read from it); the columns are the hub's own settings for
/// this SP, which the metadata cannot grant itself.
/// </summary>
public sealed class ServiceProviderRecord
{
    /// <summary>The SP's entityID (saml-metadata §2.3.2), as in its metadata and in every AuthnRequest's Issuer.</summary>
    public required string EntityId { get; set; }

    /// <summary>The agency's name as citizens see it (login and consent pages, the portal's session list).</summary>
    public required string DisplayName { get; set; }

    /// <summary>The SP's metadata document as imported (UTF-8 XML).</summary>
    public required string MetadataXml { get; set; }

    /// <summary>Where the metadata came from (a file name or an https URL), for the operator.</summary>
    public string? MetadataSource { get; set; }

    /// <summary>The pairwise sector: persistent NameIDs are derived from the person and this, never stored.</summary>
    public required string Sector { get; set; }

    /// <summary>persistent (pairwise, default), transient, or national-id (only when <see cref="NationalIdEntitled"/>).</summary>
    public required string NameIdFormat { get; set; }

    /// <summary>The agency is entitled by law to the national identifier (as NameID or the eIDAS PersonIdentifier).</summary>
    public bool NationalIdEntitled { get; set; }

    /// <summary>The eIDAS attributes released, space-separated friendly names (PersonIdentifier CurrentFamilyName …).</summary>
    public required string Attributes { get; set; }

    /// <summary>AuthnRequests (and LogoutRequests) must be signed with a key from the metadata.</summary>
    public bool RequireSignedRequests { get; set; } = true;

    /// <summary>Assertions are encrypted to the SP's encryption certificate (default when its metadata has one).</summary>
    public bool EncryptAssertions { get; set; }

    /// <summary>The Response is signed as well as the Assertion.</summary>
    public bool SignResponse { get; set; } = true;

    /// <summary>The lowest eIDAS level the SP gets (low, substantial, high), whatever its request asks.</summary>
    public required string MinimumLevel { get; set; }

    /// <summary>The SP accepts unsolicited (IdP-initiated) responses.</summary>
    public bool AllowUnsolicited { get; set; }

    /// <summary>
    /// A government service whose citizens are not asked for consent (the operator's audited decision, as for OIDC
    /// clients); false, the default, means each citizen allows the SP once what it receives (saml.consents).
    /// </summary>
    public bool GovernmentService { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ServiceProviderConfiguration : IEntityTypeConfiguration<ServiceProviderRecord>
{
    public const string Schema = "saml";

    public void Configure(EntityTypeBuilder<ServiceProviderRecord> builder)
    {
        builder.ToTable("service_providers", Schema, t =>
        {
            t.HasCheckConstraint("CK_service_providers_name_id_format", "\"NameIdFormat\" IN ('persistent', 'transient', 'national-id')");
            t.HasCheckConstraint("CK_service_providers_minimum_level", "\"MinimumLevel\" IN ('low', 'substantial', 'high')");
        });
        builder.HasKey(s => s.EntityId).HasName("PK_saml_service_providers");
        builder.Property(s => s.EntityId).HasMaxLength(1024);
        builder.Property(s => s.DisplayName).HasMaxLength(200);
        builder.Property(s => s.MetadataSource).HasMaxLength(2000);
        builder.Property(s => s.Sector).HasMaxLength(255);
        builder.Property(s => s.NameIdFormat).HasMaxLength(16);
        builder.Property(s => s.Attributes).HasMaxLength(500);
        builder.Property(s => s.MinimumLevel).HasMaxLength(16);
    }
}
