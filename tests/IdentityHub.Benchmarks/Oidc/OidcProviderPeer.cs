using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using IdentityHub.Testing;

namespace IdentityHub.Benchmarks.Oidc;

/// <summary>
/// npm's oidc-provider (tests/bench-peers/oidc-provider.mjs, version fixed by its package-lock.json) as a child process
/// on a free loopback port: the reference the hub is measured against. Codes are made by its /bench/codes route (see
/// the script for how); its CPU time is read from the process, so its cost per request is its own.
/// </summary>
internal sealed class OidcProviderPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _control;

    private OidcProviderPeer(Process process, Uri baseUrl, string version)
    {
        _process = process;
        BaseUrl = baseUrl;
        Version = version;
        _control = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseUrl { get; }

    public Uri TokenEndpoint => new(BaseUrl, "/token");

    public string Version { get; }

    public static async Task<OidcProviderPeer> StartAsync(string clientId, string clientSecret, string redirectUri)
    {
        var folder = Path.Combine(BuiltAssemblies.RepositoryRoot, "tests", "bench-peers");
        var package = Path.Combine(folder, "node_modules", "oidc-provider", "package.json");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException("oidc-provider is not installed: run `npm ci --prefix tests/bench-peers` (./hub bench oidc does)");
        }

        var version = JsonDocument.Parse(await File.ReadAllTextAsync(package)).RootElement.GetProperty("version").GetString()!;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("node", [Path.Combine(folder, "oidc-provider.mjs"), port.ToString(System.Globalization.CultureInfo.InvariantCulture), clientId, clientSecret, redirectUri])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        // Its warnings (e.g. "Unsupported runtime" on Node 20) go to our stderr; "listening PORT" says it serves.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("oidc-provider: " + line);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (first != $"listening {port}")
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"oidc-provider did not start: {first}");
        }

        return new OidcProviderPeer(process, new Uri($"http://127.0.0.1:{port}"), version);
    }

    /// <summary>CPU time the node process has used so far.</summary>
    public TimeSpan Cpu()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async Task<IReadOnlyList<PreMadeCode>> MakeCodesAsync(int count)
    {
        using var response = await _control.PostAsync(new Uri($"/bench/codes?count={count}", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.EnumerateArray().Select(c => new PreMadeCode(c.GetProperty("code").GetString()!, c.GetProperty("verifier").GetString()!))];
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
