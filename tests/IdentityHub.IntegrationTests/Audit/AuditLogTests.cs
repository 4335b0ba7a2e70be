using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdentityHub.IntegrationTests.Audit;

/// <summary>The append-only, hash-chained audit log on a database of its own, tampered with by hand as an insider would.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private readonly string _database = "it_audit_" + Guid.NewGuid().ToString("N")[..8];
    private string _connection = null!;
    private WebApplication _node = null!;

    public async Task InitializeAsync()
    {
        _connection = await TestDatabases.CreateAsync(_database);
        await TestDatabases.MigrateAsync(_database);
        _node = HubNodes.Build(_connection);
        await using var scope = _node.Services.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        for (var i = 1; i <= 5; i++)
        {
            await audit.AppendAsync(new AuditEvent("test.event", "tester", $"subject-{i}", new Dictionary<string, string> { ["n"] = $"{i}", ["ä"] = "ünïcödé" }), CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.DropAsync(_database);
    }

    [Fact]
    public async Task A_fresh_chain_verifies()
    {
        var result = await VerifyAsync();

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(5, result.Events);
    }

    [Fact]
    public async Task The_table_refuses_updates_and_deletes()
    {
        var update = await Assert.ThrowsAsync<PostgresException>(() => SqlAsync("UPDATE audit.events SET \"Subject\" = 'x' WHERE \"Sequence\" = 2"));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => SqlAsync("DELETE FROM audit.events WHERE \"Sequence\" = 2"));
        await Assert.ThrowsAsync<PostgresException>(() => SqlAsync("TRUNCATE audit.events"));
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task An_altered_row_is_named_even_when_the_owner_bypasses_the_trigger()
    {
        await SqlAsync("ALTER TABLE audit.events DISABLE TRIGGER events_append_only; UPDATE audit.events SET \"Subject\" = 'subject-X' WHERE \"Sequence\" = 3");

        var result = await VerifyAsync();

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Equal("event #3 was altered (its content no longer matches its hash)", result.Problem);
    }

    [Fact]
    public async Task A_re_hashed_row_breaks_the_next_link()
    {
        // An insider who also recomputes the altered row's hash is caught by the row after it.
        await using var scope = _node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var row = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Sequence == 2);
        row.Actor = "someone else";
        var forged = AuditChain.HashOf(row);
        await SqlAsync($"ALTER TABLE audit.events DISABLE TRIGGER events_append_only; UPDATE audit.events SET \"Actor\" = 'someone else', \"Hash\" = '\\x{Convert.ToHexString(forged)}' WHERE \"Sequence\" = 2");

        var result = await VerifyAsync();

        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("does not continue the chain", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_row_is_named()
    {
        await SqlAsync("ALTER TABLE audit.events DISABLE TRIGGER events_append_only; DELETE FROM audit.events WHERE \"Sequence\" = 4");

        var result = await VerifyAsync();

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal("event #4 is missing (the next one is #5)", result.Problem);
    }

    [Fact]
    public async Task Concurrent_appends_from_two_nodes_form_one_chain()
    {
        await using var second = HubNodes.Build(_connection);

        await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            await using var scope = (i % 2 == 0 ? _node : second).Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditLog>().AppendAsync(new AuditEvent("test.concurrent", "node", $"{i}"), CancellationToken.None);
        }));

        var result = await VerifyAsync();
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(65, result.Events);
    }

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var scope = _node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None);
    }

    /// <summary>Runs SQL as the owner role: the trigger holds even for it, and only it can switch the trigger off.</summary>
    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.OwnerConnection(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
