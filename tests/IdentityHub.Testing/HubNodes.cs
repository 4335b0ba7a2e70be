using IdentityHub.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Testing;

/// <summary>A hub's services on a given database and the test token, not listening: for tests that act as a node without HTTP.</summary>
public static class HubNodes
{
    /// <param name="connectionString">The database of the node.</param>
    /// <param name="configure">Further changes, e.g. a service replaced to inject a fault.</param>
    /// <param name="environmentName">The host environment (see <see cref="HubServer.Build"/>).</param>
    public static WebApplication Build(string connectionString, Action<WebApplicationBuilder>? configure = null, string? environmentName = null) => HubServer.Build([], builder =>
    {
        // The node's log goes to the shared test log folder (see TestLogFile), not to the console.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestLogFile("node-" + Guid.NewGuid().ToString("N")[..12]));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hub"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        configure?.Invoke(builder);
    }, environmentName);
}
