using System.Net.Sockets;
using IdentityHub.Data;
using IdentityHub.Data.Roles;
using IdentityHub.Hsm;
using IdentityHub.Pki;
using IdentityHub.Pki.Authorities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdentityHub.Server.Hosting;

/// <summary>
/// Runs before the hub accepts requests: validated options, the HSM token, PostgreSQL (and its migrations), the PKI.
/// Each failure becomes a <see cref="StartupException"/> naming the configuration key to fix, never a secret.
/// </summary>
public static class StartupChecks
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            _ = services.GetRequiredService<IOptions<HsmOptions>>().Value;
            _ = services.GetRequiredService<IOptions<PkiOptions>>().Value;
            _ = services.GetRequiredService<IOptions<IdentityHub.Authentication.Passkeys.PasskeyOptions>>().Value;
            _ = services.GetRequiredService<IOptions<IdentityHub.Authentication.Login.LockoutOptions>>().Value;
            _ = services.GetRequiredService<IOptions<IdentityHub.Authentication.Assurance.AssuranceOptions>>().Value;
            _ = services.GetRequiredService<IOptions<IdentityHub.Authentication.Sessions.SessionOptions>>().Value;
            try
            {
                _ = services.GetRequiredService<IdentityHub.Authentication.Passkeys.AttestationTrustStore>().Anchors;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new StartupException($"Authentication:Passkeys:AttestationRootsPath: {ex.Message}", ex);
            }

            services.GetRequiredService<HsmKeyStore>().CheckHealth();

            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var configuration = services.GetRequiredService<IConfiguration>();
            if (configuration.GetValue("Database:MigrateOnStartup", true))
            {
                await MigrateAsync(db, configuration, cancellationToken);
            }
            else if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                throw new StartupException("PostgreSQL refuses connections: check ConnectionStrings:Hub.");
            }

            var keyring = services.GetRequiredService<PkiKeyring>();
            keyring.Invalidate();
            var health = await new PkiHealthCheck(keyring).CheckHealthAsync(new(), cancellationToken);
            if (health.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            {
                throw new StartupException(health.Exception?.Message ?? health.Description ?? "The PKI is not ready: run `hubctl pki init`.");
            }

            CheckExampleValues(services);
        }
        catch (OptionsValidationException ex)
        {
            throw new StartupException(ex.Failures.FirstOrDefault() ?? ex.Message, ex);
        }
        catch (HsmConfigurationException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is PkiConfigurationException or PkiNotInitialisedException)
        {
            throw new StartupException(ex.Message, ex);
        }
        catch (Exception ex) when (DescribeDatabaseFailure(ex, services) is { } message)
        {
            throw new StartupException(message, ex);
        }
    }

    /// <summary>
    /// Database:MigrateOnStartup. With ConnectionStrings:HubOwner the owner migrates and grants the app role, as
    /// `hubctl db migrate` does. Without it the serving role needs no more than its grants: only when a migration is
    /// pending does it try to apply it itself (a single-role deployment, where that role owns the schema), and if it may
    /// not, start-up stops with one line saying to run `hubctl db migrate` as the owner.
    /// </summary>
    private static async Task MigrateAsync(HubDbContext db, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(DatabaseMigrator.OwnerConnectionStringName)))
        {
            await DatabaseMigrator.MigrateAsync(configuration, cancellationToken);
            return;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception ex) when (IsInsufficientPrivilege(ex))
        {
            throw new StartupException(
                $"{pending.Count} database migration(s) are pending and the role of ConnectionStrings:Hub may not apply them: run `hubctl db migrate` with ConnectionStrings:HubOwner set (docs/operator-guide.md, database roles).",
                ex);
        }
    }

    private static bool IsInsufficientPrivilege(Exception? ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } || (ex?.InnerException is { } inner && IsInsufficientPrivilege(inner));

    /// <summary>
    /// Settings still holding example values: a production hub refuses to start, naming each; elsewhere (a developer's
    /// hub, the tests) a warning is logged.
    /// </summary>
    private static void CheckExampleValues(IServiceProvider services)
    {
        var problems = ExampleValues.Find(ProductionSettings.From(services));
        if (problems.Count == 0)
        {
            return;
        }

        var message = $"settings still hold example values (see the production checklist in docs/operator-guide.md): {string.Join("; ", problems)}.";
        if (services.GetRequiredService<IHostEnvironment>().IsProduction())
        {
            throw new StartupException(message);
        }

        StartupLog.ExampleValues(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupChecks)), message);
    }

    /// <summary>Turns what Npgsql reports into one line; null when the failure is not the database's.</summary>
    private static string? DescribeDatabaseFailure(Exception ex, IServiceProvider services)
    {
        if (ex is StartupException)
        {
            return null;
        }

        var configured = services.GetRequiredService<IConfiguration>().GetConnectionString(DataServiceCollectionExtensions.ConnectionStringName);
        var target = "the configured server";
        try
        {
            var csb = new NpgsqlConnectionStringBuilder(configured);
            target = $"{csb.Host}:{csb.Port}/{csb.Database}";
        }
        catch (ArgumentException)
        {
            return "ConnectionStrings:Hub is not a valid PostgreSQL connection string.";
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when pg.SqlState == PostgresErrorCodes.InvalidPassword:
                    return $"PostgreSQL at {target} refused the password: check ConnectionStrings:Hub.";
                case PostgresException pg when pg.SqlState == PostgresErrorCodes.InvalidCatalogName:
                    return $"PostgreSQL at {target}: the database does not exist: create it or fix ConnectionStrings:Hub.";
                case PostgresException pg:
                    return $"PostgreSQL at {target} failed ({pg.SqlState} {pg.MessageText}): check ConnectionStrings:Hub.";
                case SocketException or TimeoutException:
                    return $"PostgreSQL at {target} is unreachable ({e.Message}): start it or fix ConnectionStrings:Hub.";
                case NpgsqlException npg when npg.InnerException is null:
                    return $"PostgreSQL at {target}: {npg.Message}: check ConnectionStrings:Hub.";
            }
        }

        return null;
    }
}

internal static partial class StartupLog
{
    [LoggerMessage(1900, LogLevel.Warning, "Not fit for production: {Problem}")]
    public static partial void ExampleValues(ILogger logger, string problem);
}
