using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Pki;

internal sealed class CertificateAuthorityConfiguration : IEntityTypeConfiguration<CertificateAuthorityRecord>
{
    public void Configure(EntityTypeBuilder<CertificateAuthorityRecord> builder)
    {
        builder.ToTable("certificate_authorities", PkiSchema.Name);
        builder.HasKey(x => x.Name);
        builder.Property(x => x.Name).HasMaxLength(64);
        builder.Property(x => x.IssuerName).HasMaxLength(64);
        builder.Property(x => x.KeyId).HasMaxLength(64);
        builder.Property(x => x.KeyAlgorithm).HasMaxLength(16);
        builder.Property(x => x.SerialNumber).HasMaxLength(64);
    }
}

internal sealed class IssuedCertificateConfiguration : IEntityTypeConfiguration<IssuedCertificateRecord>
{
    public void Configure(EntityTypeBuilder<IssuedCertificateRecord> builder)
    {
        builder.ToTable("issued_certificates", PkiSchema.Name);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.IssuerName).HasMaxLength(64);
        builder.Property(x => x.SerialNumber).HasMaxLength(64);
        builder.Property(x => x.Profile).HasMaxLength(64);
        // The OCSP hot path: one status lookup per request by (issuer, serial).
        builder.HasIndex(x => new { x.IssuerName, x.SerialNumber }).IsUnique();
        // CRL generation lists an issuer's revoked certificates.
        builder.HasIndex(x => new { x.IssuerName, x.Status });
        builder.HasOne<CertificateAuthorityRecord>().WithMany().HasForeignKey(x => x.IssuerName).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ServiceCredentialConfiguration : IEntityTypeConfiguration<ServiceCredentialRecord>
{
    public void Configure(EntityTypeBuilder<ServiceCredentialRecord> builder)
    {
        builder.ToTable("service_credentials", PkiSchema.Name);
        builder.HasKey(x => x.Purpose);
        builder.Property(x => x.Purpose).HasMaxLength(64);
        builder.Property(x => x.IssuerName).HasMaxLength(64);
        builder.Property(x => x.KeyId).HasMaxLength(64);
        builder.Property(x => x.KeyAlgorithm).HasMaxLength(16);
        builder.Property(x => x.SerialNumber).HasMaxLength(64);
        builder.HasOne<CertificateAuthorityRecord>().WithMany().HasForeignKey(x => x.IssuerName).OnDelete(DeleteBehavior.Restrict);
    }
}

internal static class PkiSchema
{
    public const string Name = "pki";
}
