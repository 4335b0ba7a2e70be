using System.CommandLine;
using IdentityHub.Data.Roles;

namespace IdentityHub.Cli.Commands;

internal static class DbCommands
{
    public static Command Create()
    {
        var migrate = new Command(
            "migrate",
            "Apply the database migrations as the owner role (ConnectionStrings:HubOwner), then grant the app role (the user of ConnectionStrings:Hub) what the hub needs. Idempotent.");
        migrate.SetAction((_, ct) => HubCtl.WithConfigurationAsync(async (configuration, token) =>
        {
            var report = await DatabaseMigrator.MigrateAsync(configuration, token);
            Console.WriteLine(report.Applied.Count == 0 ? "Database is up to date." : $"Applied {report.Applied.Count} migration(s): {string.Join(", ", report.Applied)}");
            Console.WriteLine(report.AppRole is null
                ? "No separate app role: ConnectionStrings:HubOwner is not set or names the same user as ConnectionStrings:Hub."
                : $"Granted role {report.AppRole} read and write on the hub's tables, append-only on audit (no UPDATE, DELETE or TRUNCATE).");
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
