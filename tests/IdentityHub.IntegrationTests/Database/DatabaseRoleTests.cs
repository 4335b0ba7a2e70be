using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Roles;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdentityHub.IntegrationTests.Database;

/// <summary>
/// The least-privilege roles on a database of their own (docs/decisions/0014-least-privilege-database-roles.md): the
/// owner migrates; the app role, which the hub runs as, reads and writes the hub's tables but is refused, for lack of a
/// privilege, anything that changes or removes an audit event, and every schema change.
/// </summary>
public sealed class DatabaseRoleTests : IAsyncLifetime
{
    private readonly string _database = "it_roles_" + Guid.NewGuid().ToString("N")[..8];
    private WebApplication _node = null!;

    public async Task InitializeAsync()
    {
        await TestDatabases.CreateAsync(_database);
        await TestDatabases.MigrateAsync(_database);
        _node = HubNodes.Build(TestDatabases.AppConnection(_database));
        await using var scope = _node.Services.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        for (var i = 1; i <= 3; i++)
        {
            await audit.AppendAsync(new AuditEvent("test.event", "tester", $"subject-{i}"), CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.DropAsync(_database);
    }

    [Theory]
    [InlineData("""UPDATE audit.events SET "Subject" = 'x' WHERE "Sequence" = 2""")]
    [InlineData("""DELETE FROM audit.events WHERE "Sequence" = 2""")]
    [InlineData("TRUNCATE audit.events")]
    public async Task The_app_role_may_not_change_or_remove_audit_events(string sql)
    {
        // The privilege is missing: refused before the append-only trigger runs, so this holds even with the trigger gone.
        await AssertRefusedAsync(AsAppAsync(sql));

        // The same statement as the owner, who holds the privilege, meets the trigger instead (raise_exception, not 42501):
        // the refusal above is the grant's, not the trigger's.
        var trigger = await Assert.ThrowsAsync<PostgresException>(() => AsOwnerAsync(sql));
        Assert.Equal(PostgresErrorCodes.RaiseException, trigger.SqlState);
        Assert.Contains("append-only", trigger.MessageText, StringComparison.Ordinal);

        Assert.Equal(3L, await AsAppAsync("SELECT count(*) FROM audit.events"));
    }

    [Fact]
    public async Task The_app_role_appends_and_reads_the_audit_chain()
    {
        await using var scope = _node.Services.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        await audit.AppendAsync(new AuditEvent("test.event", "tester", "subject-4"), CancellationToken.None);

        var verification = await audit.VerifyAsync(CancellationToken.None);

        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(4, verification.Events);
    }

    [Theory]
    [InlineData("CREATE TABLE registry.extra (id int)")]
    [InlineData("CREATE TABLE public.extra (id int)")]
    [InlineData("CREATE SCHEMA extra")]
    [InlineData("ALTER TABLE audit.events DISABLE TRIGGER events_append_only")]
    [InlineData("ALTER TABLE audit.events ADD COLUMN extra int")]
    [InlineData("DROP TABLE audit.events")]
    [InlineData("DROP TRIGGER events_append_only ON audit.events")]
    [InlineData("TRUNCATE registry.persons")]
    [InlineData("""INSERT INTO "__EFMigrationsHistory" VALUES ('99999999999999_Forged', '10.0.0')""")]
    public async Task The_app_role_may_not_change_the_schema(string sql) => await AssertRefusedAsync(AsAppAsync(sql));

    [Fact]
    public async Task The_app_role_owns_nothing_and_holds_exactly_its_grants()
    {
        Assert.Equal(0L, await AsAppAsync("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relowner = current_user::regrole AND n.nspname !~ '^(pg_|information_schema$)'
            """));
        Assert.Equal(0L, await AsAppAsync("""
            SELECT count(*) FROM pg_namespace WHERE nspname !~ '^(pg_|information_schema$)' AND has_schema_privilege(current_user, oid, 'CREATE')
            """));

        // Every table of the hub: read and write, except the audit schema (read and append) and EF's history (read).
        var tables = await AsAppAsync("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname IN ('pki', 'audit', 'accounts', 'registry', 'hosting')
            """);
        Assert.True(tables > 20, $"only {tables} tables");
        var wrong = await AsAppListAsync("""
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname !~ '^(pg_|information_schema$)'
              AND (has_table_privilege(current_user, c.oid, 'TRUNCATE') OR has_table_privilege(current_user, c.oid, 'REFERENCES')
                   OR has_table_privilege(current_user, c.oid, 'TRIGGER') OR NOT has_table_privilege(current_user, c.oid, 'SELECT')
                   OR has_table_privilege(current_user, c.oid, 'UPDATE') <> (n.nspname <> 'audit' AND c.relname <> '__EFMigrationsHistory')
                   OR has_table_privilege(current_user, c.oid, 'DELETE') <> (n.nspname <> 'audit' AND c.relname <> '__EFMigrationsHistory')
                   OR has_table_privilege(current_user, c.oid, 'INSERT') <> (c.relname <> '__EFMigrationsHistory'))
            """);
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task Migrating_again_changes_nothing_and_takes_back_a_privilege_granted_by_hand()
    {
        await AsOwnerAsync($"GRANT UPDATE, DELETE, TRUNCATE ON audit.events TO \"{TestDatabases.AppRole}\"");
        await AsAppAsync("""UPDATE audit.events SET "Subject" = "Subject" WHERE false"""); // granted by hand: allowed

        var report = await TestDatabases.MigrateAsync(_database);

        Assert.Empty(report.Applied);
        Assert.Equal(TestDatabases.AppRole, report.AppRole);
        await AssertRefusedAsync(AsAppAsync("""UPDATE audit.events SET "Subject" = 'x' WHERE "Sequence" = 1"""));
        await AssertRefusedAsync(AsAppAsync("TRUNCATE audit.events"));
    }

    [Fact]
    public async Task Tables_the_owner_adds_later_are_granted_by_default_and_append_only_in_audit()
    {
        await AsOwnerAsync("CREATE TABLE registry.later (id int); CREATE TABLE audit.later (id int)");

        await AsAppAsync("INSERT INTO registry.later VALUES (1); UPDATE registry.later SET id = 2; DELETE FROM registry.later");
        await AsAppAsync("INSERT INTO audit.later VALUES (1)");
        await AssertRefusedAsync(AsAppAsync("UPDATE audit.later SET id = 2"));
        await AssertRefusedAsync(AsAppAsync("DELETE FROM audit.later"));
    }

    [Fact]
    public async Task Only_the_owner_can_migrate()
    {
        var name = "it_roles_fresh_" + Guid.NewGuid().ToString("N")[..8];
        await TestDatabases.CreateAsync(name);
        try
        {
            // The app role alone (a hub given only its own connection string) may not create the schema.
            await AssertRefusedAsync(DatabaseMigrator.MigrateAsync(TestDatabases.AppConnection(name), appRole: null, CancellationToken.None));

            var report = await TestDatabases.MigrateAsync(name);

            Assert.Contains(report.Applied, m => m.EndsWith("_InitialPki", StringComparison.Ordinal));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropAsync(name);
        }
    }

    private static async Task AssertRefusedAsync(Task attempt)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => attempt);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private Task<long> AsAppAsync(string sql) => ScalarAsync(TestDatabases.AppConnection(_database), sql);

    private Task<long> AsOwnerAsync(string sql) => ScalarAsync(TestDatabases.OwnerConnection(_database), sql);

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }

    private async Task<List<string>> AsAppListAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.AppConnection(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
