using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set: point it at the hub's PostgreSQL database (./hub up sets it for development).");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddDbContextPool<HubDbContext>(options => options.UseNpgsql(connectionString));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }
}
