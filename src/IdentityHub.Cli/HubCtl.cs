using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using IdentityHub.Cli.Commands;
using IdentityHub.Hsm;
using IdentityHub.Pki;

namespace IdentityHub.Cli;

/// <summary>hubctl: operator commands over the same libraries the server uses.</summary>
internal static class HubCtl
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("hubctl: operate an IdentityHub (reads the same configuration as the server: appsettings.json and environment variables).")
        {
            DbCommands.Create(),
            PkiCommands.Create(),
            HsmCommands.Create(),
            AuditCommands.Create(),
            RegistryCommands.Persons(),
            RegistryCommands.Eid(),
            AccessCommands.ServicePointsCommand(),
            AccessCommands.ApiCredentialsCommand(),
            DemoCommands.Create(),
            StaffCommands.Create(),
            RecoveryLetterCommands.Create(),
            ClientCommands.Create(),
            OidcCommands.Create(),
            SamlCommands.Create(),
        };
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>Runs a command body with the hub's services; expected failures print one line and exit 1.</summary>
    public static async Task<int> WithServicesAsync(Func<IServiceProvider, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            await using var services = CliHost.BuildServices();
            await using var scope = services.CreateAsyncScope();
            return await body(scope.ServiceProvider, cancellationToken);
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"hubctl: {message}");
            return 1;
        }
    }

    /// <summary>Runs a command body that needs only the configuration (no hub services): `db migrate` as the owner.</summary>
    public static async Task<int> WithConfigurationAsync(Func<Microsoft.Extensions.Configuration.IConfiguration, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(CliHost.BuildConfiguration(), cancellationToken);
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"hubctl: {message}");
            return 1;
        }
    }

    private static string? Describe(Exception ex) => ex switch
    {
        HsmConfigurationException or PkiConfigurationException or Data.DatabaseConfigurationException or PkiNotInitialisedException or CertificateNotFoundException => ex.Message,
        Microsoft.Extensions.Options.OptionsValidationException o => o.Failures.FirstOrDefault() ?? o.Message,
        FormatException or ArgumentException => ex.Message,
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.InsufficientPrivilege } pg => $"PostgreSQL: {pg.MessageText} (migrations run as the owner: set ConnectionStrings:HubOwner)",
        Npgsql.NpgsqlException npg => $"PostgreSQL: {npg.Message} (check ConnectionStrings:Hub)",
        InvalidOperationException when ex.InnerException is Npgsql.NpgsqlException npg => $"PostgreSQL: {npg.Message} (check ConnectionStrings:Hub)",
        _ => null,
    };
}
