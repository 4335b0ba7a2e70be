using IdentityHub.Data.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IdentityHub.Data.Tests;

/// <summary>Fast checks of the model itself; no database is opened.</summary>
public sealed class ModelTests
{
    private static HubDbContext Context() =>
        new(new DbContextOptionsBuilder<HubDbContext>().UseNpgsql("Host=unused;Database=unused").WithIdentitySchema().Options);

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

/// <summary>ASP.NET Core Identity's tables follow the hub's naming: schema "accounts", snake_case table names.</summary>
public sealed class AccountModelTests
{
    [Fact]
    public void Identity_tables_live_in_the_accounts_schema_with_snake_case_names()
    {
        using var db = new HubDbContext(new DbContextOptionsBuilder<HubDbContext>().UseNpgsql("Host=unused;Database=unused").WithIdentitySchema().Options);
        var tables = db.Model.GetEntityTypes()
            .Where(e => e.ClrType.Namespace is "IdentityHub.Data.Accounts" or "Microsoft.AspNetCore.Identity" && !e.IsOwned())
            .Select(e => $"{e.GetSchema()}.{e.GetTableName()}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            ["accounts.notices", "accounts.passkey_details", "accounts.recovery_codes", "accounts.recovery_letters", "accounts.role_claims", "accounts.roles",
             "accounts.sessions", "accounts.staff_service_points", "accounts.totp_authenticators", "accounts.user_claims", "accounts.user_logins", "accounts.user_passkeys", "accounts.user_roles", "accounts.user_tokens", "accounts.users",
             "accounts.webauthn_challenges"],
            tables);
    }

    [Fact]
    public void The_five_staff_roles_are_seeded()
    {
        using var db = new HubDbContext(new DbContextOptionsBuilder<HubDbContext>().UseNpgsql("Host=unused;Database=unused").WithIdentitySchema().Options);
        // Seed data lives in the design-time model only.
        var seeded = db.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model.FindEntityType(typeof(Accounts.HubRole))!.GetSeedData().Select(r => (string)r["Name"]!).Order(StringComparer.Ordinal);

        Assert.Equal(["admin", "auditor", "helpdesk", "officer", "supervisor"], seeded);
    }
}
