using IdentityHub.Data.Pki;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Data;

/// <summary>The hub's one database context; each area keeps its tables in its own PostgreSQL schema.</summary>
public sealed class HubDbContext(DbContextOptions<HubDbContext> options) : DbContext(options)
{
    public DbSet<CertificateAuthorityRecord> CertificateAuthorities => Set<CertificateAuthorityRecord>();

    public DbSet<IssuedCertificateRecord> IssuedCertificates => Set<IssuedCertificateRecord>();

    public DbSet<ServiceCredentialRecord> ServiceCredentials => Set<ServiceCredentialRecord>();

    public DbSet<Audit.AuditRecord> AuditEvents => Set<Audit.AuditRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HubDbContext).Assembly);
    }
}
