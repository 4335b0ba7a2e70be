using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace IdentityHub.Benchmarks.Oidc;

/// <summary>One measured run: requests per second, latency at the client, and CPU per request (machine, this process, the peer).</summary>
internal sealed record LoadResult(int Requests, double Seconds, double P50, double P99, double MachineMs, double ProcessMs, double PeerMs)
{
    public double Rate => Requests / Seconds;
}

/// <summary>
/// The one load generator both servers get: a fixed number of workers, each sending one token request after another
/// over its own keep-alive connection (HttpClient, SocketsHttpHandler, at most one connection per worker, plain http on
/// loopback), timing each at the client. Every answer must be 200 with an access token, or the run fails: a figure made
/// of errors is not a figure. Runs for a fixed time (client credentials) or over a fixed list (pre-made codes).
/// </summary>
internal sealed class TokenLoad : IDisposable
{
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _basic;

    public TokenLoad(Uri tokenEndpoint, string clientId, string clientSecret, int workers)
    {
        TokenEndpoint = tokenEndpoint;
        ClientId = clientId;
        ClientSecret = clientSecret;
        Workers = workers;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = workers,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        });
        // client_secret_basic (RFC 6749 §2.3.1): id and secret form-urlencoded, then base64.
        var pair = Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(clientSecret);
        _basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }

    public Uri TokenEndpoint { get; }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public int Workers { get; }

    /// <summary>Client credentials from every worker for <paramref name="duration"/>.</summary>
    public Task<LoadResult> ClientCredentialsAsync(TimeSpan duration, Func<TimeSpan>? peerCpu = null)
    {
        var stopwatch = Stopwatch.StartNew();
        return RunAsync(_ => stopwatch.Elapsed < duration ? ClientCredentialsForm : null, peerCpu);
    }

    /// <summary>Redeems each pre-made code once (authorization_code with its PKCE verifier), the workers sharing the list.</summary>
    public Task<LoadResult> ExchangeAsync(IReadOnlyList<PreMadeCode> codes, string redirectUri, Func<TimeSpan>? peerCpu = null)
    {
        var next = -1;
        return RunAsync(_ => Interlocked.Increment(ref next) is var i && i < codes.Count
            ? [
                new("grant_type", "authorization_code"),
                new("code", codes[i].Code),
                new("code_verifier", codes[i].Verifier),
                new("redirect_uri", redirectUri),
            ]
            : null, peerCpu);
    }

    public void Dispose() => _http.Dispose();

    private static readonly KeyValuePair<string, string>[] ClientCredentialsForm = [new("grant_type", "client_credentials")];

    private async Task<LoadResult> RunAsync(Func<int, KeyValuePair<string, string>[]?> nextForm, Func<TimeSpan>? peerCpu)
    {
        var samples = Enumerable.Range(0, Workers).Select(_ => new List<double>(4096)).ToArray();
        var peerStart = peerCpu?.Invoke() ?? TimeSpan.Zero;
        var cpuStart = CpuSample.Now();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            while (nextForm(w) is { } form)
            {
                var started = Stopwatch.GetTimestamp();
                await SendAsync(form);
                samples[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var cpuEnd = CpuSample.Now();
        var peer = (peerCpu?.Invoke() ?? TimeSpan.Zero) - peerStart;
        var all = samples.SelectMany(s => s).Order().ToArray();
        var (process, machine) = cpuEnd.PerOperation(cpuStart, Math.Max(1, all.Length));
        return new LoadResult(all.Length, Stopwatch.GetElapsedTime(cpuStart.Timestamp, cpuEnd.Timestamp).TotalSeconds,
            Percentile(all, 0.50), Percentile(all, 0.99), machine, process, peer.TotalMilliseconds / Math.Max(1, all.Length));
    }

    private async Task SendAsync(KeyValuePair<string, string>[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = _basic;
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"access_token\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{TokenEndpoint} answered {(int)response.StatusCode} to {form[0].Value}: {(body.Length > 300 ? body[..300] : body)}"));
        }
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];
}

/// <summary>An authorization code made beforehand, with the PKCE verifier its challenge came from.</summary>
internal sealed record PreMadeCode(string Code, string Verifier);
