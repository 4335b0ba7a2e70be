using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace IdentityHub.Data.Roles;

/// <summary>What <see cref="DatabaseMigrator"/> did: the migrations it applied and the role it granted, if any.</summary>
public sealed record MigrationReport(IReadOnlyList<string> Applied, string? AppRole);

/// <summary>
/// Applies the migrations as the owner role, then grants the application role exactly what the serving hub needs
/// (docs/decisions/0014-least-privilege-database-roles.md). Without an owner connection string the hub's own role
/// migrates, as before: one role that owns everything (not least privilege, but what existing single-role
/// deployments run).
/// </summary>
public static class DatabaseMigrator
{
    /// <summary>The owner's connection string: "ConnectionStrings:HubOwner". Only migrations use it, never the serving hub.</summary>
    public const string OwnerConnectionStringName = "HubOwner";

    /// <summary>Migrates with the connection strings in <paramref name="configuration"/>: HubOwner if set, else Hub.</summary>
    public static Task<MigrationReport> MigrateAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var app = configuration.GetConnectionString(DataServiceCollectionExtensions.ConnectionStringName);
        var owner = configuration.GetConnectionString(OwnerConnectionStringName);
        if (string.IsNullOrWhiteSpace(owner))
        {
            if (string.IsNullOrWhiteSpace(app))
            {
                throw new DatabaseConfigurationException(
                    $"neither ConnectionStrings:{OwnerConnectionStringName} nor ConnectionStrings:{DataServiceCollectionExtensions.ConnectionStringName} is set: migrations need the owner role's connection string.");
            }

            return MigrateAsync(app, appRole: null, cancellationToken);
        }

        return MigrateAsync(owner, AppRoleOf(app, owner), cancellationToken);
    }

    /// <summary>
    /// Applies pending migrations on <paramref name="ownerConnectionString"/>; then, when <paramref name="appRole"/> is
    /// given, (re)applies its grants. Both steps are idempotent: run it after every deployment.
    /// </summary>
    public static async Task<MigrationReport> MigrateAsync(string ownerConnectionString, string? appRole, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<HubDbContext>().UseNpgsql(Parse(ownerConnectionString, OwnerConnectionStringName)).WithIdentitySchema().Options;
        await using var db = new HubDbContext(options);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (appRole is not null)
        {
            await AppRoleGrants.ApplyAsync(db, appRole, cancellationToken);
        }

        return new MigrationReport(pending, appRole);
    }

    /// <summary>
    /// The role the serving hub logs in as (the Username of ConnectionStrings:Hub), or null when there is none or it is
    /// the owner itself (a single-role deployment).
    /// </summary>
    public static string? AppRoleOf(string? appConnectionString, string ownerConnectionString)
    {
        if (string.IsNullOrWhiteSpace(appConnectionString))
        {
            return null;
        }

        var app = ParseBuilder(appConnectionString, DataServiceCollectionExtensions.ConnectionStringName).Username;
        var owner = ParseBuilder(ownerConnectionString, OwnerConnectionStringName).Username;
        return string.IsNullOrEmpty(app) || string.Equals(app, owner, StringComparison.Ordinal) ? null : app;
    }

    private static string Parse(string connectionString, string name) => ParseBuilder(connectionString, name).ConnectionString;

    private static NpgsqlConnectionStringBuilder ParseBuilder(string connectionString, string name)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new DatabaseConfigurationException($"ConnectionStrings:{name} is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
    }
}
