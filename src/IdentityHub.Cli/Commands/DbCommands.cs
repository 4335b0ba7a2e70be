using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Cli.Commands;

internal static class DbCommands
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Apply the database migrations (the server also does this at start-up).");
        migrate.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var db = services.GetRequiredService<HubDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(token)).ToList();
            await db.Database.MigrateAsync(token);
            Console.WriteLine(pending.Count == 0 ? "Database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
            return 0;
        }, ct));

        var name = new Argument<string>("name") { Description = "Migration name, e.g. AddEnrolment." };
        var projectDir = new Option<string>("--project-dir") { Description = "The IdentityHub.Data project folder.", DefaultValueFactory = _ => "src/IdentityHub.Data" };
        var addMigration = new Command("add-migration", "Developer command: scaffold an EF Core migration for model changes into IdentityHub.Data/Migrations.") { name, projectDir };
        addMigration.Hidden = true;
        addMigration.SetAction(parse =>
        {
            var files = MigrationScaffolder.Scaffold(parse.GetRequiredValue(name), Path.GetFullPath(parse.GetRequiredValue(projectDir)));
            foreach (var file in files)
            {
                Console.WriteLine(file);
            }

            return 0;
        });

        return new Command("db", "Database commands.") { migrate, addMigration };
    }
}
