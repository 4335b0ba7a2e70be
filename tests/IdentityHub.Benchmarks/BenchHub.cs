using System.Net;
using System.Net.Sockets;
using IdentityHub.Pki.Authorities;
using IdentityHub.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Benchmarks;

/// <summary>A real hub node on a free port of the bench database and token, migrated and with its PKI created.</summary>
internal static class BenchHub
{
    public static async Task<(WebApplication App, string BaseUrl)> StartAsync(IDictionary<string, string?>? settings = null)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var baseUrl = $"http://127.0.0.1:{port}";
        var app = HubServer.Build([], builder =>
        {
            var configuration = new Dictionary<string, string?>
            {
                ["Pki:PublicBaseUrl"] = baseUrl,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:Console:FormatterName"] = "simple",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(configuration);
            builder.WebHost.UseUrls(baseUrl);
        }, Microsoft.Extensions.Hosting.Environments.Development);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PkiInitializer>().InitializeAsync(CancellationToken.None);
        }

        await StartupChecks.RunAsync(app.Services, CancellationToken.None);
        await app.StartAsync();
        return (app, baseUrl);
    }
}
