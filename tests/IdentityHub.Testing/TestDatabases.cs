using Npgsql;

namespace IdentityHub.Testing;

/// <summary>Throwaway databases on the PostgreSQL cluster that `./hub test` runs.</summary>
public static class TestDatabases
{
    public static string AdminConnection => Environment.GetEnvironmentVariable("HUB_TEST_ADMIN_CONNECTION")
        ?? throw new InvalidOperationException("HUB_TEST_ADMIN_CONNECTION is not set: run the tests with ./hub test, which starts PostgreSQL and SoftHSM.");

    public static async Task<string> CreateAsync(string name)
    {
        await using (var admin = new NpgsqlConnection(AdminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnection) { Database = name }.ConnectionString;
    }

    public static async Task DropAsync(string name)
    {
        await using var admin = new NpgsqlConnection(AdminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
