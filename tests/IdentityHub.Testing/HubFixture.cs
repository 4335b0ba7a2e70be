using System.Net;
using System.Net.Sockets;
using IdentityHub.Data.Audit;
using IdentityHub.Pki.Authorities;
using IdentityHub.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IdentityHub.Testing;

/// <summary>
/// A real hub: Kestrel on a free loopback port, its own throwaway PostgreSQL database, the SoftHSM token that
/// `./hub test` created, and a PKI initialised exactly as `hubctl pki init` does.
/// </summary>
public class HubFixture : IAsyncLifetime
{
    private readonly string _database = "it_" + Guid.NewGuid().ToString("N")[..12];

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The app role's connection string: what this fixture's hub nodes log in as.</summary>
    public string ConnectionString { get; private set; } = null!;

    /// <summary>The owner role's connection string to the same database: for tests that act as the owner (migrations, tampering).</summary>
    public string OwnerConnectionString => TestDatabases.OwnerConnection(_database);

    public DirectoryInfo WorkDirectory { get; } = Directory.CreateTempSubdirectory("hub-it-");

    private TestLogFile? _log;

    /// <summary>Where this fixture's hub nodes write their log (not the console: test output stays readable).</summary>
    public string LogPath => (_log ??= new TestLogFile(_database)).FilePath;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabases.CreateAsync(_database);
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        App = BuildNode(BaseAddress);

        // Migrated as the owner, as `hubctl db migrate` does; the hub itself runs as the app role.
        await TestDatabases.MigrateAsync(_database);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PkiInitializer>().InitializeAsync(CancellationToken.None);
        }

        await StartupChecks.RunAsync(App.Services, CancellationToken.None);
        await App.StartAsync();
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        if (App is not null)
        {
            // What `hubctl audit verify` checks, on everything this fixture's tests did: a broken chain fails the class.
            await using (var scope = App.Services.CreateAsyncScope())
            {
                var verification = await scope.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None);
                if (verification.FirstBrokenSequence is not null)
                {
                    throw new InvalidOperationException($"The audit chain of {_database} does not verify after its tests: {verification.Problem} (hub log: {LogPath})");
                }
            }

            await App.StopAsync();
            await App.DisposeAsync();
        }

        _log?.Dispose();
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.DropAsync(_database);
        WorkDirectory.Delete(recursive: true);
    }

    /// <summary>A further hub node on the same database and token, as a load balancer would have behind it.</summary>
    public async Task<(WebApplication Node, HttpClient Client)> StartSecondNodeAsync()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var node = BuildNode(address);
        await node.StartAsync();
        return (node, new HttpClient { BaseAddress = address });
    }

    /// <summary>A hub with this fixture's database; certificates point at the first node's URL.</summary>
    private WebApplication BuildNode(Uri listenOn) => HubServer.Build([], builder =>
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_log ??= new TestLogFile(_database));
        ConfigureNode(builder);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hub"] = ConnectionString,
            ["Pki:PublicBaseUrl"] = (BaseAddress ?? listenOn).ToString().TrimEnd('/'),
            ["Logging:LogLevel:Default"] = "Warning",
            // Browsers use passkeys on localhost (never on an IP address): the RP id is localhost, the origin this node's.
            ["Authentication:Passkeys:RelyingPartyId"] = "localhost",
            ["Authentication:Passkeys:Origins:0"] = BrowserAddressOf(BaseAddress ?? listenOn).ToString().TrimEnd('/'),
            ["Authentication:Passkeys:AttestationRootsPath"] = AttestationRootsPath,
            // Tests sign in many times from 127.0.0.1; the rate-limit tests use a fixture with low limits.
            ["Authentication:RateLimits:SignInPerMinute"] = "100000",
            ["Authentication:RateLimits:ActivationPerMinute"] = "100000",
            // Likewise OCSP and TSA (the parallel OCSP test alone sends 200); PkiRateLimitTests use low limits.
            ["Pki:RateLimits:OcspPerMinute"] = "100000",
            ["Pki:RateLimits:TsaPerMinute"] = "100000",
            ["Oidc:RateLimits:BackChannelPerMinute"] = "100000",
            // The hubs under test serve plain http on loopback; relying parties there too.
            ["Oidc:RequireHttps"] = "false",
            // One issuer for every node, as production configures it (a second node listens on another port).
            ["Oidc:Issuer"] = (BaseAddress ?? listenOn).ToString(),
            // A second language (its texts fall back to English), so ui_locales has a choice to make.
            ["Localization:SupportedCultures:0"] = "en",
            ["Localization:SupportedCultures:1"] = "et",
            // Back-channel logout retries within a test's patience (production: 5 s, then ×6).
            ["Oidc:BackChannelLogout:FirstRetryDelay"] = "00:00:01",
            ["Oidc:BackChannelLogout:PollInterval"] = "00:00:00.250",
            ["Saml:BackChannelLogout:FirstRetryDelay"] = "00:00:01",
            ["Saml:BackChannelLogout:PollInterval"] = "00:00:00.250",
            // A SOAP logout runs Lasso in a child process: on a loaded CI machine it may take longer than production's 3 s.
            ["Saml:LogoutBackChannelWait"] = "00:00:10",
        });
        builder.Configuration.AddInMemoryCollection(Settings);
        // As in Development: a singleton that captures a scoped service fails at start, not in production.
        builder.Host.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        // localhost: both loopback addresses, as a browser resolves the name.
        builder.WebHost.UseUrls($"http://localhost:{listenOn.Port}");
    }, Environments.Development); // loopback URLs and the repository's example values: a warning in Development, refused in Production

    /// <summary>Lets a derived fixture replace services (a fake clock) before the hub adds its own.</summary>
    protected virtual void ConfigureNode(WebApplicationBuilder builder)
    {
    }

    /// <summary>The address a browser uses: the same node under the name localhost (WebAuthn refuses IP addresses).</summary>
    public Uri BrowserAddress => BrowserAddressOf(BaseAddress);

    /// <summary>Settings a derived fixture changes; applied after the fixture's own.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Attestation trust anchors the nodes load (Authentication:Passkeys:AttestationRootsPath); none by default.</summary>
    protected virtual string? AttestationRootsPath => null;

    private static Uri BrowserAddressOf(Uri address) => new($"http://localhost:{address.Port}");

    public string PathOf(string fileName) => Path.Combine(WorkDirectory.FullName, fileName);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
