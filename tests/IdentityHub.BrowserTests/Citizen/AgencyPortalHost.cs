using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AgencyPortal;
using IdentityHub.Oidc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// samples/AgencyPortal, as an agency runs it, on a free loopback port: registered at the hub for private_key_jwt with a
/// new P-256 key, its settings those docs/oidc.md lists, its log in a test log file named after its client id.
/// </summary>
internal sealed class AgencyPortalHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestLogFile _log;

    private AgencyPortalHost(WebApplication app, TestLogFile log, Uri address, string clientId)
    {
        _app = app;
        _log = log;
        Address = address;
        ClientId = clientId;
    }

    /// <summary>The portal's address in the browser: localhost, another site than the hub's issuer (127.0.0.1).</summary>
    public Uri Address { get; }

    public string ClientId { get; }

    public string Url(string path) => new Uri(Address, path).ToString();

    /// <summary>The last <paramref name="lines"/> lines of the portal's log (its file is under the test logs).</summary>
    public string LogTail(int lines)
    {
        using var stream = new FileStream(_log.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    public static async Task<AgencyPortalHost> StartAsync(HubFixture hub)
    {
        var address = new Uri($"http://localhost:{FreePort()}/");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = hub.PathOf("agency-portal-" + Guid.NewGuid().ToString("N")[..8] + ".pem");
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        var clientId = await RegisterAsync(hub, address, ClientAssertions.PublicJwks(key));

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = hub.WorkDirectory.FullName });
        builder.Logging.ClearProviders();
        var log = new TestLogFile(clientId);
        builder.Logging.AddProvider(log);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:Authority"] = hub.BaseAddress.ToString(), // the issuer, as the hub's discovery document gives it
            ["Hub:ClientId"] = clientId,
            ["Hub:ClientKeyFile"] = keyFile,
            ["Hub:AcrValues"] = EidasLevels.Substantial,
        });
        builder.WebHost.UseUrls(address.ToString().TrimEnd('/'));
        var app = AgencyPortalApp.Build(builder);
        await app.StartAsync();
        return new AgencyPortalHost(app, log, address, clientId);
    }

    /// <summary>
    /// The one place the portal is registered, as an operator does with `hubctl clients add --jwks-file --require-par` (consent, when it
    /// comes, is decided here too).
    /// </summary>
    private static async Task<string> RegisterAsync(HubFixture hub, Uri address, string jwks)
    {
        var clientId = "agency-portal-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = hub.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
            GovernmentService = true,
            ClientId = clientId,
            DisplayName = "Agency portal",
            Jwks = jwks,
            RedirectUris = [new Uri(address, "signin-oidc").ToString()],
            PostLogoutRedirectUris = [new Uri(address, "signout-callback-oidc").ToString()],
            Scopes = [OidcScopes.Profile],
            RequirePushedAuthorization = true, // --require-par: the hub refuses an authorization request that was not pushed
        }, "tests", CancellationToken.None);
        Assert.True(result.Succeeded, result.Problem);
        return clientId;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _log.Dispose();
    }
}
