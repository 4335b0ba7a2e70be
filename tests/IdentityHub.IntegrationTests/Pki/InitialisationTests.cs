using IdentityHub.Data;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki.Authorities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Pki;

public sealed class InitialisationTests
{
    [Fact]
    public async Task Two_concurrent_inits_create_one_hierarchy()
    {
        var name = "it_init_" + Guid.NewGuid().ToString("N")[..8];
        var connection = await TestDatabases.CreateAsync(name);
        try
        {
            // Two processes' worth of services (two hubs), one database, one token.
            await using var first = HubNodes.Build(connection);
            await using var second = HubNodes.Build(connection);
            await TestDatabases.MigrateAsync(name);

            var reports = await Task.WhenAll(InitAsync(first), InitAsync(second));

            Assert.Equal(10, reports.Sum(r => r.Created.Count));
            Assert.Single(reports, r => r.Created.Count == 10);
            Assert.Single(reports, r => r.Unchanged.Count == 10);
            await using var check = first.Services.CreateAsyncScope();
            var db = check.ServiceProvider.GetRequiredService<HubDbContext>();
            Assert.Equal(4, await db.CertificateAuthorities.CountAsync());
            Assert.Equal(3 + 4 + 2, await db.IssuedCertificates.CountAsync()); // 3 intermediates, 4 responders, TSA, protocol signing
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropAsync(name);
        }
    }

    private static async Task<PkiInitReport> InitAsync(Microsoft.AspNetCore.Builder.WebApplication node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PkiInitializer>().InitializeAsync(CancellationToken.None);
    }
}
