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

    public DbSet<Registry.PersonRecord> Persons => Set<Registry.PersonRecord>();

    public DbSet<Registry.PersonVersionRecord> PersonVersions => Set<Registry.PersonVersionRecord>();

    public DbSet<Registry.EnrolmentRecord> Enrolments => Set<Registry.EnrolmentRecord>();

    public DbSet<Registry.EidRecord> Eids => Set<Registry.EidRecord>();

    public DbSet<Registry.EidKeyRecord> EidKeys => Set<Registry.EidKeyRecord>();

    public DbSet<Registry.ServicePointRecord> ServicePoints => Set<Registry.ServicePointRecord>();

    public DbSet<Registry.ApiCredentialRecord> ApiCredentials => Set<Registry.ApiCredentialRecord>();

    public DbSet<Registry.IdempotencyRecord> IdempotencyKeys => Set<Registry.IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HubDbContext).Assembly);
    }
}
