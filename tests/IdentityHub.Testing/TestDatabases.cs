using IdentityHub.Data.Roles;
using Npgsql;

namespace IdentityHub.Testing;

/// <summary>
/// Throwaway databases on the PostgreSQL cluster that `./hub test` runs, set up as in production: each is owned by the
/// owner role, which migrates it and grants the app role; the hubs under test connect as the app role, so every test
/// shows that the app role's grants are enough (docs/decisions/0014-least-privilege-database-roles.md).
/// </summary>
public static class TestDatabases
{
    /// <summary>The cluster's superuser: creates and drops the test databases, nothing else.</summary>
    public static string AdminConnection => Setting("HUB_TEST_ADMIN_CONNECTION");

    /// <summary>The owner role (no database named): owns each test database and runs its migrations.</summary>
    private static string OwnerServer => Setting("HUB_TEST_OWNER_CONNECTION");

    /// <summary>The app role (no database named): what the hubs under test log in as.</summary>
    private static string AppServer => Setting("HUB_TEST_APP_CONNECTION");

    /// <summary>The app role's name.</summary>
    public static string AppRole => new NpgsqlConnectionStringBuilder(AppServer).Username!;

    /// <summary>Creates database <paramref name="name"/>, owned by the owner role; returns the app role's connection string to it.</summary>
    public static async Task<string> CreateAsync(string name)
    {
        var owner = new NpgsqlConnectionStringBuilder(OwnerServer).Username!;
        await using (var admin = new NpgsqlConnection(AdminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER \"{owner}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        return AppConnection(name);
    }

    /// <summary>The app role's connection string to database <paramref name="name"/>.</summary>
    public static string AppConnection(string name) => new NpgsqlConnectionStringBuilder(AppServer) { Database = name }.ConnectionString;

    /// <summary>The owner role's connection string to database <paramref name="name"/>: migrations, and tests that act as the owner.</summary>
    public static string OwnerConnection(string name) => new NpgsqlConnectionStringBuilder(OwnerServer) { Database = name }.ConnectionString;

    /// <summary>Migrates database <paramref name="name"/> as the owner and grants the app role, as `hubctl db migrate` does.</summary>
    public static Task<MigrationReport> MigrateAsync(string name) => DatabaseMigrator.MigrateAsync(OwnerConnection(name), AppRole, CancellationToken.None);

    public static async Task DropAsync(string name)
    {
        await using var admin = new NpgsqlConnection(AdminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string Setting(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the tests with ./hub test, which starts PostgreSQL and SoftHSM.");
}
