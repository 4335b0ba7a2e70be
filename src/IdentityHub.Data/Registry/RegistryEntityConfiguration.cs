using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Registry;

internal static class RegistrySchema
{
    public const string Name = "registry";
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<PersonRecord>
{
    public void Configure(EntityTypeBuilder<PersonRecord> builder)
    {
        builder.ToTable("persons", RegistrySchema.Name);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.NationalId).HasMaxLength(11).IsFixedLength();
        builder.Property(x => x.GivenNames).HasMaxLength(200);
        builder.Property(x => x.Surname).HasMaxLength(200);
        builder.Property(x => x.SearchName).HasMaxLength(401);
        builder.Property(x => x.PlaceOfBirth).HasMaxLength(200);
        builder.Property(x => x.Nationality).HasMaxLength(3);
        builder.Property(x => x.Sex).HasMaxLength(1);
        builder.Property(x => x.PostalAddress).HasMaxLength(500);
        builder.Property(x => x.Version).IsConcurrencyToken();
        builder.HasIndex(x => x.NationalId).IsUnique();
        // Lookup and duplicate detection by names + birth date.
        builder.HasIndex(x => new { x.DateOfBirth, x.SearchName });
    }
}

internal sealed class PersonVersionConfiguration : IEntityTypeConfiguration<PersonVersionRecord>
{
    public void Configure(EntityTypeBuilder<PersonVersionRecord> builder)
    {
        builder.ToTable("person_versions", RegistrySchema.Name);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.ChangedBy).HasMaxLength(256);
        builder.Property(x => x.Reason).HasMaxLength(500);
        builder.Property(x => x.Snapshot).HasColumnType("jsonb");
        builder.Property(x => x.Changes).HasColumnType("jsonb");
        builder.HasIndex(x => new { x.PersonId, x.Version }).IsUnique();
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EnrolmentConfiguration : IEntityTypeConfiguration<EnrolmentRecord>
{
    public void Configure(EntityTypeBuilder<EnrolmentRecord> builder)
    {
        builder.ToTable("enrolments", RegistrySchema.Name);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.GivenNames).HasMaxLength(200);
        builder.Property(x => x.Surname).HasMaxLength(200);
        builder.Property(x => x.PlaceOfBirth).HasMaxLength(200);
        builder.Property(x => x.Nationality).HasMaxLength(3);
        builder.Property(x => x.Sex).HasMaxLength(1);
        builder.Property(x => x.PostalAddress).HasMaxLength(500);
        builder.Property(x => x.ChangeEvidence).HasMaxLength(1000);
        builder.Property(x => x.DocumentType).HasMaxLength(32);
        builder.Property(x => x.DocumentNumber).HasMaxLength(32);
        builder.Property(x => x.DocumentIssuingState).HasMaxLength(3);
        builder.Property(x => x.PhotoContentType).HasMaxLength(64);
        builder.Property(x => x.ServicePoint).HasMaxLength(64);
        builder.Property(x => x.CreatedBy).HasMaxLength(256);
        builder.Property(x => x.DuplicateDecisionBy).HasMaxLength(256);
        builder.Property(x => x.DuplicateNote).HasMaxLength(1000);
        builder.Property(x => x.VerifiedBy).HasMaxLength(256);
        builder.Property(x => x.ApprovedBy).HasMaxLength(256);
        builder.Property(x => x.CancelledBy).HasMaxLength(256);
        builder.Property(x => x.CancelReason).HasMaxLength(1000);
        builder.Property(x => x.IssuedBy).HasMaxLength(256);
        // Find a person by the document seen at the counter, and detect the same document presented twice.
        builder.HasIndex(x => x.DocumentNumber);
        // One open enrolment per identity document, even when two counters submit it at the same moment.
        builder.HasIndex(x => new { x.DocumentIssuingState, x.DocumentType, x.DocumentNumber }, "IX_enrolments_open_document").IsUnique()
            .HasFilter($"\"{nameof(EnrolmentRecord.Status)}\" IN ({(int)EnrolmentStatus.Draft}, {(int)EnrolmentStatus.Verified}, {(int)EnrolmentStatus.Approved})");
        builder.HasIndex(x => x.PersonId);
        builder.HasIndex(x => new { x.Status, x.CreatedAt });
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EidConfiguration : IEntityTypeConfiguration<EidRecord>
{
    public void Configure(EntityTypeBuilder<EidRecord> builder)
    {
        builder.ToTable("eids", RegistrySchema.Name);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.DocumentNumber).HasMaxLength(16);
        builder.Property(x => x.IssuedBy).HasMaxLength(256);
        builder.Property(x => x.ServicePoint).HasMaxLength(64);
        builder.Property(x => x.StatusChangedBy).HasMaxLength(256);
        builder.Property(x => x.StatusReason).HasMaxLength(1000);
        builder.HasIndex(x => x.DocumentNumber).IsUnique();
        builder.HasIndex(x => x.PersonId);
        // At most one eID per person that is not revoked: the database enforces it even when two counters race.
        builder.HasIndex(x => x.PersonId, "IX_eids_PersonId_current").IsUnique()
            .HasFilter($"\"{nameof(EidRecord.Status)}\" <> {(int)EidStatus.Revoked}");
        builder.HasOne<PersonRecord>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EidKeyConfiguration : IEntityTypeConfiguration<EidKeyRecord>
{
    public void Configure(EntityTypeBuilder<EidKeyRecord> builder)
    {
        builder.ToTable("eid_keys", RegistrySchema.Name);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Algorithm).HasMaxLength(16);
        builder.Property(x => x.CertificateIssuer).HasMaxLength(64);
        builder.Property(x => x.CertificateSerial).HasMaxLength(64);
        builder.HasIndex(x => new { x.EidId, x.Purpose });
        builder.HasIndex(x => new { x.CertificateIssuer, x.CertificateSerial }).IsUnique();
        builder.HasOne<EidRecord>().WithMany().HasForeignKey(x => x.EidId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ServicePointConfiguration : IEntityTypeConfiguration<ServicePointRecord>
{
    public void Configure(EntityTypeBuilder<ServicePointRecord> builder)
    {
        builder.ToTable("service_points", RegistrySchema.Name);
        builder.HasKey(x => x.Code);
        builder.Property(x => x.Code).HasMaxLength(64);
        builder.Property(x => x.Name).HasMaxLength(200);
    }
}

internal sealed class ApiCredentialConfiguration : IEntityTypeConfiguration<ApiCredentialRecord>
{
    public void Configure(EntityTypeBuilder<ApiCredentialRecord> builder)
    {
        builder.ToTable("api_credentials", RegistrySchema.Name);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.ServicePoint).HasMaxLength(64);
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.CreatedBy).HasMaxLength(256);
        builder.HasOne<ServicePointRecord>().WithMany().HasForeignKey(x => x.ServicePoint).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IdempotencyConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys", RegistrySchema.Name);
        builder.HasKey(x => new { x.CredentialId, x.Key });
        builder.Property(x => x.Key).HasMaxLength(128);
        builder.Property(x => x.ResponseBody).HasColumnType("text");
        builder.Property(x => x.Location).HasMaxLength(512);
        builder.HasOne<ApiCredentialRecord>().WithMany().HasForeignKey(x => x.CredentialId).OnDelete(DeleteBehavior.Restrict);
    }
}
