using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Data;
using IdentityHub.Pki;
using IdentityHub.Pki.Authorities;
using IdentityHub.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Tsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace IdentityHub.Benchmarks;

/// <summary>
/// OCSP responses/s and time-stamps/s end to end over HTTP, each beside the raw HSM signing rate of the very key
/// that signs them, measured in the same run, interleaved round by round so both see the same machine.
/// </summary>
internal static class PkiBenchmark
{
    public static async Task RunAsync(BenchmarkSettings settings)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        await using var app = HubServer.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Pki:PublicBaseUrl"] = baseUrl,
                ["Pki:HierarchyFile"] = HierarchyFor(settings.Key),
                // The benchmark's clients all come from one address.
                ["Pki:RateLimits:OcspPerMinute"] = "100000000",
                ["Pki:RateLimits:TsaPerMinute"] = "100000000",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:Console:FormatterName"] = "simple",
            });
            builder.WebHost.UseUrls(baseUrl);
        }, Microsoft.Extensions.Hosting.Environments.Development);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PkiInitializer>().InitializeAsync(CancellationToken.None);
        }

        await StartupChecks.RunAsync(app.Services, CancellationToken.None);
        await app.StartAsync();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients }) { BaseAddress = new Uri(baseUrl) };
        var (ocspKey, tsaKey, ocspRequests, tsaRequests) = await PrepareAsync(app.Services, http);

        // Reference: the same client against a bare Kestrel endpoint that answers with bytes of an OCSP response's size.
        var floorPort = FreePort();
        await using var floor = BareEndpoint(floorPort, await PostAsync(http, "/pki/ocsp", "application/ocsp-request", ocspRequests[0]));
        await floor.StartAsync();
        using var floorHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients }) { BaseAddress = new Uri($"http://127.0.0.1:{floorPort}") };
        var lookup = await LookupAsync(app.Services);
        var responder = app.Services.GetRequiredService<OcspResponder>();
        var timeStamps = app.Services.GetRequiredService<TimeStampAuthority>();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IdentityHub PKI benchmark: {settings.Rounds} rounds x {settings.RoundLength.TotalSeconds:0} s, {Environment.ProcessorCount} cores, {settings.Clients} concurrent clients, HSM token {Environment.GetEnvironmentVariable("Hsm__TokenLabel")}"));

        var floorRates = new List<double>();
        var lookups = new List<double>();
        var ocspInProcess = new List<double>();
        var tsaInProcess = new List<double>();
        var rawOcsp = new List<double>();
        var ocsp = new List<double>();
        var rawTsa = new List<double>();
        var tsa = new List<double>();
        var digest = SHA256.HashData("benchmark"u8);

        // Warm-up: JIT, connection pool, PostgreSQL plan cache.
        await Measure.RateAsync(settings.Clients, TimeSpan.FromSeconds(1), i => PostAsync(http, "/pki/ocsp", "application/ocsp-request", ocspRequests[i % ocspRequests.Length]));
        await Measure.RateAsync(settings.Clients, TimeSpan.FromSeconds(1), i => PostAsync(http, "/pki/tsa", "application/timestamp-query", tsaRequests[i % tsaRequests.Length]));

        for (var round = 0; round < settings.Rounds; round++)
        {
            floorRates.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, i => PostAsync(floorHttp, "/", "application/ocsp-request", ocspRequests[i % ocspRequests.Length])));
            lookups.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, lookup));
            ocspInProcess.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, i => responder.RespondAsync(ocspRequests[i % ocspRequests.Length], CancellationToken.None)));
            tsaInProcess.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, i => timeStamps.RespondAsync(tsaRequests[i % tsaRequests.Length], CancellationToken.None)));
            rawOcsp.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, _ => { ocspKey.SignDigest(digest, HashAlgorithmName.SHA256); return Task.CompletedTask; }));
            ocsp.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, i => PostAsync(http, "/pki/ocsp", "application/ocsp-request", ocspRequests[i % ocspRequests.Length])));
            rawTsa.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, _ => { tsaKey.SignDigest(digest, HashAlgorithmName.SHA256); return Task.CompletedTask; }));
            tsa.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, i => PostAsync(http, "/pki/tsa", "application/timestamp-query", tsaRequests[i % tsaRequests.Length])));
        }

        await CheckSampleAsync(http, ocspRequests[0], tsaRequests[0]);

        Console.WriteLine();
        Console.WriteLine($"{"measure",-44} {"median/s",10}   rounds");
        Print("reference: HTTP round trip, bare endpoint", floorRates);
        Print("reference: registry status lookups", lookups);
        Print($"raw HSM sign, OCSP responder key ({ocspKey.Algorithm.ToConfigName()})", rawOcsp);
        Print("OCSP responder in process (no HTTP)", ocspInProcess);
        Print("OCSP responses over HTTP (POST, nonce)", ocsp);
        PrintRatios("OCSP", Measure.Median(ocsp), Measure.Median(rawOcsp), Measure.Median(floorRates));
        Print($"raw HSM sign, TSA key ({tsaKey.Algorithm.ToConfigName()})", rawTsa);
        Print("time-stamp authority in process (no HTTP)", tsaInProcess);
        Print("time-stamps over HTTP (SHA-256, nonce, certReq)", tsa);
        PrintRatios("time-stamps", Measure.Median(tsa), Measure.Median(rawTsa), Measure.Median(floorRates));
        Console.WriteLine();
        Console.WriteLine("bound: what a responder costing nothing but one HTTP round trip and one HSM signature could reach when both");
        Console.WriteLine("share these cores with the load generator, 1 / (1/http + 1/hsm), from the reference rows of this run.");

        await app.StopAsync();
    }

    /// <summary>
    /// pki/hierarchy.json as shipped, or a copy whose OCSP responder and TSA keys are of another type (--key):
    /// a key that is slower to sign shows how much HTTP and encoding add on top of the HSM.
    /// </summary>
    private static string HierarchyFor(string? key)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "pki", "hierarchy.json");
        if (key is null)
        {
            return shipped;
        }

        _ = KeyAlgorithms.Parse(key);
        var hierarchy = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(shipped))!;
        hierarchy["profiles"]!["ocsp-responder"]!["key"] = key;
        hierarchy["profiles"]!["tsa"]!["key"] = key;
        var path = Path.Combine(Path.GetTempPath(), $"hierarchy-bench-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, hierarchy.ToJsonString());
        return path;
    }

    /// <summary>A minimal Kestrel app: what HTTP alone costs on this machine with this client.</summary>
    private static WebApplication BareEndpoint(int port, byte[] response)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Bytes(response, "application/ocsp-response");
        });
        return app;
    }

    /// <summary>One status lookup as the OCSP responder makes it, straight against PostgreSQL.</summary>
    private static async Task<Func<int, Task>> LookupAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var serials = await scope.ServiceProvider.GetRequiredService<HubDbContext>().IssuedCertificates.AsNoTracking()
            .Where(c => c.IssuerName == "citizen-auth").Select(c => c.SerialNumber).ToArrayAsync();
        var reader = services.GetRequiredService<IdentityHub.Data.Pki.CertificateStatusReader>();
        return async i => _ = await reader.FindAsync("citizen-auth", serials[i % serials.Length], CancellationToken.None);
    }

    private static void PrintRatios(string name, double served, double rawHsm, double http)
    {
        var bound = 1 / ((1 / http) + (1 / rawHsm));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"  ratio " + name + " / raw HSM",-44} {served / rawHsm,10:0.00}   (bound on this machine {bound / rawHsm:0.00}; {served / bound:0%} of it reached)"));
    }

    private static void Print(string name, List<double> rates) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44} {Measure.Median(rates),10:0}   [{string.Join(", ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))}]"));

    private static async Task<(ISigningKey Ocsp, ISigningKey Tsa, byte[][] OcspRequests, byte[][] TsaRequests)> PrepareAsync(IServiceProvider services, HttpClient http)
    {
        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<IKeyStore>();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var credentials = await db.ServiceCredentials.AsNoTracking().ToDictionaryAsync(c => c.Purpose, c => c.KeyId);
        var ocspKey = keys.Find(credentials["ocsp:citizen-auth"])!;
        var tsaKey = keys.Find(credentials["tsa"])!;

        // 100 citizens' certificates to ask about, each request with its own nonce, as openssl sends them.
        var issuer = new BcCertificate(await http.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));
        var certificates = scope.ServiceProvider.GetRequiredService<CertificateIssuer>();
        var subjectKey = keys.Generate("bench-subject", KeyAlgorithm.EcP256);
        var serials = new List<BigInteger>();
        for (var i = 0; i < 100; i++)
        {
            var issued = await certificates.IssueAsync("test-authentication", new X509Name($"CN=Bench {i}"), subjectKey.SubjectPublicKeyInfo.ToArray(), CancellationToken.None);
            serials.Add(new BigInteger(issued.SerialNumber, 16));
        }

        var ocspRequests = Enumerable.Range(0, 2000).Select(i =>
        {
            var generator = new OcspReqGenerator();
            generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, serials[i % serials.Count]));
            generator.SetRequestExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = new(false, new DerOctetString(new DerOctetString(RandomNumberGenerator.GetBytes(16)))),
            }));
            return generator.Generate().GetEncoded();
        }).ToArray();

        var tsaRequests = Enumerable.Range(0, 2000).Select(i =>
        {
            var generator = new TimeStampRequestGenerator();
            generator.SetCertReq(true);
            return generator.Generate(TspAlgorithms.Sha256, SHA256.HashData(BitConverter.GetBytes(i)), BigInteger.ValueOf(i + 1)).GetEncoded();
        }).ToArray();

        return (ocspKey, tsaKey, ocspRequests, tsaRequests);
    }

    /// <summary>The figures only count if what was served is right: check one of each after the run.</summary>
    private static async Task CheckSampleAsync(HttpClient http, byte[] ocspRequest, byte[] tsaRequest)
    {
        var ocsp = new OcspResp(await PostAsync(http, "/pki/ocsp", "application/ocsp-request", ocspRequest));
        var basic = (BasicOcspResp)ocsp.GetResponseObject();
        if (ocsp.Status != OcspRespStatus.Successful || !basic.Verify(basic.GetCerts()[0].GetPublicKey()))
        {
            throw new InvalidOperationException("The OCSP responses measured were not valid.");
        }

        var request = new TimeStampRequest(tsaRequest);
        var tsa = new TimeStampResponse(await PostAsync(http, "/pki/tsa", "application/timestamp-query", tsaRequest));
        tsa.Validate(request);
        tsa.TimeStampToken.Validate(tsa.TimeStampToken.GetCertificates().EnumerateMatches(null)
            .Single(c => c.GetExtendedKeyUsage()?.Any(o => o.Id == "1.3.6.1.5.5.7.3.8") == true));
    }

    private static async Task<byte[]> PostAsync(HttpClient http, string path, string contentType, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await http.PostAsync(path, content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
