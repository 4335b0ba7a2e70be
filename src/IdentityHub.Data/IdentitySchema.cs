using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Data;

/// <summary>
/// ASP.NET Core Identity builds its tables from IdentityOptions.Stores.SchemaVersion found in the application's
/// services; without it, version 1 (no passkeys). The hub uses version 3 (passkeys) in every process — server,
/// hubctl and design time — so all build the same model as the migrations.
/// </summary>
public static class IdentitySchema
{
    public static readonly Version Version = IdentitySchemaVersions.Version3;

    public static void Configure(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Stores.SchemaVersion = Version;
    }

    /// <summary>Options for a context made outside dependency injection (design time, tools).</summary>
    public static DbContextOptionsBuilder<HubDbContext> WithIdentitySchema(this DbContextOptionsBuilder<HubDbContext> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseApplicationServiceProvider(ApplicationServices.Value);
    }

    /// <summary>One provider for every such context, so EF Core builds their model once per process, not once per context.</summary>
    private static readonly Lazy<ServiceProvider> ApplicationServices = new(() =>
    {
        var services = new ServiceCollection();
        services.Configure<IdentityOptions>(Configure);
        return services.BuildServiceProvider();
    });
}
