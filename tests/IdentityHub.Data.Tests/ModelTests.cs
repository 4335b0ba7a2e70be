using IdentityHub.Data.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IdentityHub.Data.Tests;

/// <summary>Fast checks of the model itself; no database is opened.</summary>
public sealed class ModelTests
{
    private static HubDbContext Context() =>
        new(new DbContextOptionsBuilder<HubDbContext>().UseNpgsql("Host=unused;Database=unused").Options);

    [Fact]
    public void Every_model_change_has_a_migration()
    {
        using var db = Context();

        // Fails when an entity or its configuration changed without `hubctl db add-migration NAME`.
        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the last migration: run `hubctl db add-migration NAME`");
    }

    [Fact]
    public void The_OCSP_status_query_matches_the_model()
    {
        // CertificateStatusReader queries with SQL (docs/decisions/0006): a renamed column must fail here, not in production.
        using var db = Context();
        var entity = db.Model.FindEntityType(typeof(IssuedCertificateRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => entity.FindProperty(property)!.GetColumnName(table)!;

        Assert.Equal("pki", entity.GetSchema());
        Assert.Equal("issued_certificates", entity.GetTableName());
        Assert.Equal(
            ["Status", "RevokedAt", "RevocationReason", "IssuerName", "SerialNumber"],
            new[] { "Status", "RevokedAt", "RevocationReason", "IssuerName", "SerialNumber" }.Select(Column));
        Assert.Equal("integer", entity.FindProperty(nameof(IssuedCertificateRecord.Status))!.GetColumnType());
        Assert.Contains(entity.GetIndexes(), i => i.IsUnique && i.Properties.Select(p => p.Name).SequenceEqual(["IssuerName", "SerialNumber"]));
    }

    [Fact]
    public void The_CRL_lock_query_matches_the_model()
    {
        // CrlService locks the CA row with SELECT … FROM pki.certificate_authorities WHERE "Name" = … FOR UPDATE.
        using var db = Context();
        var entity = db.Model.FindEntityType(typeof(CertificateAuthorityRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());

        Assert.Equal("certificate_authorities", entity.GetTableName());
        Assert.Equal("Name", entity.FindProperty(nameof(CertificateAuthorityRecord.Name))!.GetColumnName(table));
    }
}
