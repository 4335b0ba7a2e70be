using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using IdentityHub.Authentication.Passwords;
using IdentityHub.Data.Accounts;
using IdentityHub.Oidc;
using IdentityHub.Pki.Authorities;
using IdentityHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;

namespace IdentityHub.Benchmarks.Oidc;

/// <summary>
/// `./hub bench oidc`: the hub's token endpoint beside npm's oidc-provider (in memory, ES256) on this machine, with the
/// same load generator (<see cref="TokenLoad"/>): client-credentials tokens/s and authorization-code exchanges/s (codes
/// made beforehand, not timed), p50/p99 at the client, and hub / oidc-provider round by round (each pair runs back to
/// back, so a machine whose speed drifts cancels out). Then the bound: a bare HTTP endpoint with the same load, one
/// ES256 signature through the HSM seam and in software, and the client-secret check, each measured here; and a
/// profile pass showing where a token's time goes inside the hub. Prints figures; never passes or fails.
/// </summary>
internal static class OidcBenchmark
{
    private const double RatioTarget = 2.0;
    private const double P99Target = 20;
    private const string ClientId = "bench-agency";
    private const string RedirectUri = "http://127.0.0.1:9/callback";

    public static async Task RunAsync(BenchmarkSettings settings)
    {
        var cores = Environment.ProcessorCount;
        // Four connections per core: enough that the server always has a request waiting while another one waits on
        // PostgreSQL or the HSM, few enough that queueing on 2 cores (shared with the load generator) does not set p99.
        var workers = settings.Has("--clients") ? settings.Clients : cores * 4;
        var exchanges = settings.Option("--exchanges", 1000);
        var secret = Base64UrlEncoder(RandomNumberGenerator.GetBytes(32));
        var (app, baseUrl) = await BenchHub.StartAsync(new Dictionary<string, string?>
        {
            ["Oidc:RequireHttps"] = "false",
            // Codes are made beforehand, a round's worth at a time: they must outlive the making of the rest (the hub's
            // default is 60 s, FAPI 2.0's bound; oidc-provider gets the same 15 minutes).
            ["Oidc:AuthorizationCodeLifetime"] = "00:15:00",
            ["Authentication:RateLimits:SignInPerMinute"] = "10000000",
            ["Oidc:RateLimits:BackChannelPerMinute"] = "10000000",
        });
        await using (app)
        {
            await using var peer = await OidcProviderPeer.StartAsync(ClientId, secret, RedirectUri);
            await RegisterAsync(app.Services, secret);
            using var browser = await LogInAsync(app.Services, new Uri(baseUrl));
            var hubCodes = new HubCodes(browser, ClientId, RedirectUri);
            using var hub = new TokenLoad(new Uri(baseUrl + "/connect/token"), ClientId, secret, workers);
            using var reference = new TokenLoad(peer.TokenEndpoint, ClientId, secret, workers);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"IdentityHub OIDC token benchmark: {cores} cores, {workers} concurrent keep-alive connections per server, {settings.Rounds} rounds: client credentials {settings.RoundLength.TotalSeconds:0} s, {exchanges:N0} code exchanges (codes made beforehand, not timed)"));
            Console.WriteLine($"hub: {baseUrl}, ES256 in HSM token {Environment.GetEnvironmentVariable("Hsm__TokenLabel")}; reference: oidc-provider {peer.Version} on Node.js {NodeVersion()}, in memory, ES256 in software, {peer.BaseUrl}");
            Console.WriteLine("both: one confidential client (client_secret_basic), JWT access tokens (RFC 9068) for both grants, ID token with pairwise sub and profile claims, PKCE S256");
            Console.WriteLine();

            var pieces = await OidcPieces.MeasureAsync(app.Services, ClientId, secret, TimeSpan.FromSeconds(1));
            var floor = await FloorAsync(workers, settings.RoundLength);

            // Warm-up: JIT, connection pools, PostgreSQL plans, V8's optimiser.
            await hub.ClientCredentialsAsync(TimeSpan.FromSeconds(1));
            await reference.ClientCredentialsAsync(TimeSpan.FromSeconds(1));
            await hub.ExchangeAsync(await hubCodes.MakeAsync(200, workers), RedirectUri);
            await reference.ExchangeAsync(await peer.MakeCodesAsync(200), RedirectUri);

            var hubCc = new List<LoadResult>();
            var refCc = new List<LoadResult>();
            var hubCode = new List<LoadResult>();
            var refCode = new List<LoadResult>();
            for (var round = 0; round < settings.Rounds; round++)
            {
                hubCc.Add(await hub.ClientCredentialsAsync(settings.RoundLength));
                refCc.Add(await reference.ClientCredentialsAsync(settings.RoundLength, peer.Cpu));
                var forHub = await hubCodes.MakeAsync(exchanges, workers);
                var forReference = await peer.MakeCodesAsync(exchanges);
                hubCode.Add(await hub.ExchangeAsync(forHub, RedirectUri));
                refCode.Add(await reference.ExchangeAsync(forReference, RedirectUri, peer.Cpu));
            }

            Report(cores, workers, hubCc, refCc, hubCode, refCode);
            PrintBound(cores, pieces, floor, hubCc, refCc);
            await OidcProfile.RunAsync(hub, hubCodes, settings.RoundLength, exchanges, RedirectUri, workers);
        }
    }

    private static void Report(int cores, int workers, List<LoadResult> hubCc, List<LoadResult> refCc, List<LoadResult> hubCode, List<LoadResult> refCode)
    {
        Console.WriteLine($"{"measure",-52} {"median/s",9} {"p50 ms",7} {"p99 ms",7}   rounds (/s)");
        Row("hub: client credentials", hubCc);
        Row("oidc-provider: client credentials", refCc);
        var ccRatios = hubCc.Zip(refCc, (h, r) => h.Rate / r.Rate).ToList();
        var ccRatio = Measure.Median(ccRatios);
        var hubP99 = Measure.Median(hubCc.Select(r => r.P99).ToList());
        Ratio("ratio hub / oidc-provider, client credentials", ccRatios,
            $"target >= {RatioTarget:0.0} with hub p99 < {P99Target:0} ms: {(ccRatio >= RatioTarget && hubP99 < P99Target ? "met" : "NOT met")} (p99 {hubP99:0.0} ms)");
        Row("hub: authorization-code exchanges", hubCode);
        Row("oidc-provider: authorization-code exchanges", refCode);
        Ratio("ratio hub / oidc-provider, code exchanges", hubCode.Zip(refCode, (h, r) => h.Rate / r.Rate).ToList(), "no target");
        Console.WriteLine();

        // The load generator runs in this process beside the hub: its cost per request is this process's CPU while it
        // loaded oidc-provider (a separate process), so the hub's own is the rest.
        var loadGenerator = Measure.Median(refCc.Concat(refCode).Select(r => r.ProcessMs).ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per request, medians of the rounds ({cores} cores; the load generator, {workers} workers, costs {loadGenerator:0.000} ms of it, measured on the oidc-provider runs):"));
        Cpu("hub: client credentials", hubCc, loadGenerator, server: null);
        Cpu("oidc-provider: client credentials", refCc, loadGenerator, server: r => r.PeerMs);
        Cpu("hub: code exchange", hubCode, loadGenerator, server: null);
        Cpu("oidc-provider: code exchange", refCode, loadGenerator, server: r => r.PeerMs);
        Console.WriteLine("  (hub server = this process minus the load generator; oidc-provider server = the node process; machine = everything, PostgreSQL included)");
        Console.WriteLine();
    }

    private static void PrintBound(int cores, OidcPieces pieces, double floor, List<LoadResult> hubCc, List<LoadResult> refCc)
    {
        var sign = 1000 / pieces.HsmSignsPerCore;
        var check = 1000 / pieces.SecretChecksPerCore;
        var http = cores * 1000 / floor;
        // What a token endpoint doing nothing but its HTTP exchange, one ES256 signature and the client-secret check could
        // reach here: the cores divided by the CPU of those three (the HTTP cost from the bare endpoint, load generator included).
        var bound = cores * 1000 / (http + sign + check);
        var boundPbkdf2 = cores * 1000 / (http + sign + (1000 / pieces.RawPbkdf2PerCore));
        Console.WriteLine("where a client-credentials token's CPU goes, measured here on one core each (ms per operation):");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  HTTP exchange, bare Kestrel endpoint, same load generator   {http,7:0.000}   ({floor:0}/s on {cores} cores)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ES256 signature through the HSM seam (SoftHSM, PKCS#11)     {sign,7:0.000}   ({pieces.HsmSignsPerCore:0}/s; in software {pieces.SoftwareSignsPerCore:0}/s, {1000 / pieces.SoftwareSignsPerCore:0.000} ms)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  client secret check as the hub makes it (decision 0021 cache) {check,7:0.000}   ({pieces.SecretChecksPerCore:0}/s; uncached, {pieces.SecretFormat}: {1000 / pieces.RawPbkdf2PerCore:0.000} ms)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  hub, whole request (server CPU, see above)                  {Measure.Median(hubCc.Select(r => r.ProcessMs).ToList()) - Measure.Median(refCc.Select(r => r.ProcessMs).ToList()),7:0.000}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bound on this machine: {bound:0} tokens/s (HTTP + HSM signature + secret check as made); {boundPbkdf2:0}/s with a PBKDF2 on every request; oidc-provider's rate x {RatioTarget:0} = {RatioTarget * Measure.Median(refCc.Select(r => r.Rate).ToList()):0}/s"));
        Console.WriteLine();
    }

    private static async Task RegisterAsync(IServiceProvider services, string secret)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
            GovernmentService = true,
            ClientId = ClientId,
            DisplayName = "Bench agency",
            ClientSecret = secret,
            RedirectUris = [RedirectUri],
            Scopes = [OidcScopes.Profile],
            Sector = "bench.example",
            AllowClientCredentials = true,
        }, "bench", CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"the bench client was refused: {result.Field}: {result.Problem}");
        }
    }

    /// <summary>One seeded citizen (active eID, password, TOTP) logged in through the pages: the browser codes are made with.</summary>
    private static async Task<HubWebClient> LogInAsync(IServiceProvider services, Uri baseUrl)
    {
        string hash;
        await using (var scope = services.CreateAsyncScope())
        {
            hash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<HubAccount>>().HashPassword(new HubAccount(), LoginCitizens.Password);
        }

        var citizens = await LoginCitizens.SeedAsync(services, hash, 1, 1);
        var (citizen, code) = new CitizenPool(citizens).Take();
        var browser = new HubWebClient(baseUrl);
        await LoginCitizens.LoginAsync(browser, citizen, code);
        return browser;
    }

    /// <summary>Requests/s of a bare Kestrel endpoint answering a token-sized JSON to the same POST: what HTTP alone allows here.</summary>
    private static async Task<double> FloorAsync(int workers, TimeSpan duration)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var bare = builder.Build();
        var body = "{\"access_token\":\"" + new string('a', 560) + "\",\"token_type\":\"Bearer\",\"expires_in\":300}";
        bare.MapPost("/token", () => Results.Content(body, "application/json"));
        await bare.StartAsync();
        using var load = new TokenLoad(new Uri($"http://127.0.0.1:{port}/token"), ClientId, "unused", workers);
        await load.ClientCredentialsAsync(TimeSpan.FromSeconds(1));
        var rates = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            rates.Add((await load.ClientCredentialsAsync(duration)).Rate);
        }

        await bare.StopAsync();
        return Measure.Median(rates);
    }

    private static string NodeVersion()
    {
        using var node = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        var version = node.StandardOutput.ReadToEnd().Trim();
        node.WaitForExit();
        return version;
    }

    private static string Base64UrlEncoder(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);

    private static void Row(string name, List<LoadResult> results) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-52} {Measure.Median(results.Select(r => r.Rate).ToList()),9:0.0} {Measure.Median(results.Select(r => r.P50).ToList()),7:0.00} {Measure.Median(results.Select(r => r.P99).ToList()),7:0.00}   {string.Join(' ', results.Select(r => r.Rate.ToString("0", CultureInfo.InvariantCulture)))}"));

    private static void Ratio(string name, List<double> ratios, string note) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-52} {Measure.Median(ratios),9:0.00}                   {string.Join(' ', ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}   ({note})"));

    private static void Cpu(string name, List<LoadResult> results, double loadGenerator, Func<LoadResult, double>? server)
    {
        var machine = Measure.Median(results.Select(r => r.MachineMs).ToList());
        var own = server is null ? Measure.Median(results.Select(r => r.ProcessMs).ToList()) - loadGenerator : Measure.Median(results.Select(server).ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-40} machine {machine,6:0.000} ms   server {own,6:0.000} ms   rest (PostgreSQL, load generator, other) {Math.Max(0, machine - own),6:0.000} ms"));
    }
}
