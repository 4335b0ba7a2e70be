using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Audit;

internal sealed class AuditEntityConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("events", "audit");
        builder.HasKey(x => x.Sequence);
        builder.Property(x => x.Sequence).ValueGeneratedNever();
        builder.Property(x => x.Type).HasMaxLength(64);
        builder.Property(x => x.Actor).HasMaxLength(256);
        builder.Property(x => x.Subject).HasMaxLength(256);
        builder.Property(x => x.Details).HasColumnType("text");
        builder.HasIndex(x => new { x.Type, x.At });
    }
}
