using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace IdentityHub.Data;

public static class DataServiceCollectionExtensions
{
    public const string ConnectionStringName = "Hub";

    /// <summary>Registers <see cref="HubDbContext"/> on PostgreSQL (connection string "ConnectionStrings:Hub").</summary>
    public static IServiceCollection AddIdentityHubData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new DatabaseConfigurationException(
                $"ConnectionStrings:{ConnectionStringName} is not set: point it at the hub's PostgreSQL database (./hub up sets it for development).");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(IdentitySchema.Configure);

        // One data source (connection pool) per process, shared by EF Core and the few hot paths that query with
        // Npgsql directly (OCSP status). Statements used more than twice are prepared automatically.
        NpgsqlDataSourceBuilder dataSourceBuilder;
        try
        {
            dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new DatabaseConfigurationException($"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }

        dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare = Math.Max(dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare, 32);
        dataSourceBuilder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        services.TryAddSingleton(_ => dataSourceBuilder.Build());
        services.AddDbContextPool<HubDbContext>((sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton<Pki.CertificateStatusReader>();
        services.TryAddScoped<Audit.AuditLog>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }
}
