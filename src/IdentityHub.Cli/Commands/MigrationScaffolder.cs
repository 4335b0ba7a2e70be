using Microsoft.Extensions.DependencyInjection;
using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal;

namespace IdentityHub.Cli.Commands;

/// <summary>
/// What `dotnet ef migrations add` does, through EF Core's design-time services: the dotnet-ef tool is not obtainable
/// from this project's package feed (docs/decisions/0004-migrations-without-dotnet-ef.md).
/// </summary>
internal static class MigrationScaffolder
{
#pragma warning disable EF1001 // design-time services are EF's supported extension point for tools
    public static IReadOnlyList<string> Scaffold(string name, string projectDir)
    {
        using var db = new HubDbContext(new DbContextOptionsBuilder<HubDbContext>().UseNpgsql("Host=design-time").WithIdentitySchema().Options);
        var services = new ServiceCollection();
        services.AddEntityFrameworkDesignTimeServices();
        services.AddDbContextDesignTimeServices(db);
        new NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
        using var provider = services.BuildServiceProvider();
        var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
        var migration = scaffolder.ScaffoldMigration(name, "IdentityHub.Data", "Migrations");
        var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Migrations"));
        return new[] { files.MigrationFile, files.MetadataFile, files.SnapshotFile }.OfType<string>().ToList();
    }
#pragma warning restore EF1001
}
