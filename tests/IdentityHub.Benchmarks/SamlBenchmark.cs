using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Authentication.Passwords;
using IdentityHub.Benchmarks.Saml;
using IdentityHub.Data.Accounts;
using IdentityHub.Saml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Validation;
using IdentityHub.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Benchmarks;

/// <summary>
/// `./hub bench saml`: SAML responses per second for a citizen who is logged in already, over HTTP as the browser
/// carries them (GET /saml/sso with a signed HTTP-Redirect AuthnRequest, the redirect to /saml/sso/continue/{id}, the
/// answer page with SAMLResponse), for three SPs: the default (assertion and response signed), assertion only
/// (SignResponse=false) and signed + encrypted; beside the raw PKCS#1 v1.5 RSA-SHA256 rate of the same HSM key at the
/// same concurrency, measured in the same rounds. The SP's requests are signed beforehand (RSA-2048, not timed: a real
/// SP signs on its own machine); the hub's verification of each is timed. Then where one response's time goes: the hub's
/// spans, SQL and HSM time per response from one client, and the request's read and verification in process.
/// </summary>
internal static class SamlBenchmark
{
    private const double Target = 0.6;

    public static async Task RunAsync(BenchmarkSettings settings)
    {
        var cores = Environment.ProcessorCount;
        // Two per core: a request waiting on PostgreSQL or the HSM always has another one behind it.
        var workers = settings.Has("--clients") ? settings.Clients : cores * 2;
        var count = settings.Option("--responses", 600);
        var (app, baseUrl) = await BenchHub.StartAsync(new Dictionary<string, string?>
        {
            ["Authentication:RateLimits:SignInPerMinute"] = "10000000",
        });
        await using (app)
        {
            var key = await app.Services.GetRequiredService<SamlKeyRing>().CurrentAsync(CancellationToken.None);
            var rsa = key.Key as RSA ?? throw new InvalidOperationException("The SAML signing key is not RSA.");
            using var browser = await LogInAsync(app.Services, new Uri(baseUrl));
            using var idp = IdpMetadataCertificate(await browser.GetAsync("/saml/metadata"));
            if (!idp.RawData.AsSpan().SequenceEqual(key.Certificate.RawData))
            {
                throw new InvalidOperationException("the metadata's signing certificate is not the key ring's");
            }

            var sso = baseUrl + "/saml/sso";
            SamlCase[] cases =
            [
                new("signed", "assertion + response signed (default)", SignResponse: true, Encrypt: false),
                new("assertion", "assertion signed only (SignResponse=false)", SignResponse: false, Encrypt: false),
                new("encrypted", "signed + encrypted (both signatures, AES-256-GCM)", SignResponse: true, Encrypt: true),
            ];
            foreach (var c in cases)
            {
                await RegisterAsync(app.Services, c);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"IdentityHub SAML benchmark: {settings.Rounds} rounds, {cores} cores, {workers} concurrent clients, {count} responses per case and round"));
            Console.WriteLine($"IdP key: {key.Key.KeySize}-bit RSA in HSM token {Environment.GetEnvironmentVariable("Hsm__TokenLabel")}, RSA-SHA256 (PKCS#1 v1.5), exclusive c14n, SHA-256 digests");
            Console.WriteLine("per response: GET /saml/sso?SAMLRequest (HTTP-Redirect, RSA-SHA256 by the SP's RSA-2048 key, verified by the hub) -> 302 -> GET /saml/sso/continue/{id} -> 200 form with SAMLResponse");
            Console.WriteLine("the citizen logged in once (password + TOTP, substantial); requests signed by the SP beforehand, not timed; one answer per case and round checked (signatures, decryption)");
            Console.WriteLine();

            var digest = SHA256.HashData("benchmark"u8);
            Task Sign(int _)
            {
                rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return Task.CompletedTask;
            }

            // Warm-up: JIT, connection pools, PostgreSQL plans, the SPs' parsed metadata.
            await Measure.RateAsync(workers, TimeSpan.FromSeconds(1), Sign);
            foreach (var c in cases)
            {
                await RunAsync(browser, c.Sp!.MakeRequests(sso, 100, cores), workers);
            }

            var raw = new List<double>();
            foreach (var round in Enumerable.Range(0, settings.Rounds))
            {
                raw.Add(await Measure.RateAsync(workers, TimeSpan.FromSeconds(2), Sign));
                foreach (var c in cases)
                {
                    var requests = c.Sp!.MakeRequests(sso, count, cores);
                    var cpu = CpuSample.Now();
                    var (seconds, page) = await RunAsync(browser, requests, workers);
                    var (process, machine) = CpuSample.Now().PerOperation(cpu, count);
                    c.Rates.Add(count / seconds);
                    c.Ratios.Add(count / seconds / raw[^1]);
                    c.ProcessMs.Add(process);
                    c.MachineMs.Add(machine);
                    AnswerCheck.Check(page, c.Sp, idp, c.SignResponse, c.Encrypt);
                }
            }

            var perCore = await Measure.RateAsync(1, TimeSpan.FromSeconds(2), Sign);
            Report(cores, workers, raw, perCore, cases);
            await ProfileAsync(app.Services, browser, sso, cases, count, perCore);
            foreach (var c in cases)
            {
                c.Sp!.Dispose();
            }
        }
    }

    private static void Report(int cores, int workers, List<double> raw, double perCore, SamlCase[] cases)
    {
        var rawRate = Measure.Median(raw);
        Console.WriteLine($"{"measure",-66} {"median/s",9}   rounds");
        Print($"raw HSM signatures, RSA-SHA256 PKCS#1 v1.5, same key, {workers} workers", raw);
        foreach (var c in cases)
        {
            Print($"responses, {c.Title}", c.Rates);
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio responses / raw signatures, round by round (target >= {Target:0.0}):"));
        foreach (var c in cases)
        {
            var ratio = Measure.Median(c.Ratios);
            var bound = 1.0 / c.Signatures;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {c.Title,-52} {ratio,5:0.00}   bound {bound:0.00} ({c.Signatures} HSM signature{(c.Signatures > 1 ? "s" : "")} per response), {ratio / bound:P0} of it; target {(ratio >= Target ? "met" : "NOT met")}{(bound < Target ? " (cannot be met with both signatures)" : "")}   [{string.Join(", ", c.Ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}]"));
        }

        Console.WriteLine();
        var sign = 1000 / perCore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per response, medians of the rounds ({cores} cores = {cores * 1000} ms of CPU per second; one HSM signature costs {sign:0.00} ms on one core, {perCore:0}/s):"));
        foreach (var c in cases)
        {
            var machine = Measure.Median(c.MachineMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {c.Title,-52} machine {machine,5:0.00} ms (this process {Measure.Median(c.ProcessMs),5:0.00}, hub + load generator; the rest is PostgreSQL and the OS) = signatures {c.Signatures * sign:0.00} + everything else {machine - (c.Signatures * sign):0.00}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bound on this machine: {rawRate / 2:0}/s with two signatures, {rawRate:0}/s with one (the raw rate, all {cores} cores signing and nothing else)"));
        Console.WriteLine();
    }

    /// <summary>
    /// After the figures, not part of them: the same responses from one client with the hub's request activity, spans
    /// (IdentityHub.Saml), Npgsql's commands and the HSM meter listening; and the request's read and verification in process.
    /// </summary>
    private static async Task ProfileAsync(IServiceProvider services, HubWebClient browser, string sso, SamlCase[] cases, int count, double perCore)
    {
        var n = Math.Min(count, 300);
        Console.WriteLine($"where one response's time goes (after the figures, not part of them): {n} responses per case from 1 client, unqueued");
        var read = ReadAndVerifyMs(cases[0].Sp!, sso, services);
        foreach (var c in cases)
        {
            var requests = c.Sp!.MakeRequests(sso, n, Environment.ProcessorCount);
            using var hsm = new HsmSignTime();
            using var profile = new RequestProfile(request => $"{request.Method} {(request.Path.StartsWithSegments("/saml/sso/continue") ? "/saml/sso/continue/{id}" : request.Path)}");
            var (seconds, _) = await RunAsync(browser, requests, 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Title}: {1000 * seconds / n:0.00} ms per response at the client"));
            profile.Print(n, 10, "response");
            var spans = profile.Spans;
            double Span(string name) => spans.TryGetValue(name, out var t) ? t.Ms / n : 0;
            var hsmMs = hsm.Ms / n;
            var receive = profile.Requests.TryGetValue("GET /saml/sso", out var r) ? r : new RequestTotals();
            var answer = profile.Requests.TryGetValue("GET /saml/sso/continue/{id}", out var a) ? a : new RequestTotals();
            var signing = Span("saml.answer.sign-assertion") + Span("saml.answer.sign-response");
            var inAnswer = Span("saml.answer.lookup") + Span("saml.answer.build") + signing + Span("saml.answer.encrypt") + Span("saml.answer.audit") + Span("saml.answer.form");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  one response, ms: GET /saml/sso {receive.ServerMs / n:0.00} (request read + verify {read:0.00} in process, SQL {receive.CommandMs / n:0.00} in {receive.Commands / (double)n:0.0}: SP lookup, replay-cache insert)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    + GET continue {answer.ServerMs / n:0.00} = pending/SP/session SQL and cookie {answer.ServerMs / n - inAnswer:0.00} + person/participation lookup {Span("saml.answer.lookup"):0.00} + assertion build {Span("saml.answer.build"):0.00}"
                + $" + signing {signing:0.00} (of it HSM {hsmMs:0.00} for {hsm.Count / (double)n:0} signature(s), XML DSig c14n/digest/KeyInfo {signing - hsmMs:0.00}) + encryption {Span("saml.answer.encrypt"):0.00} + audit {Span("saml.answer.audit"):0.00} + HTML form {Span("saml.answer.form"):0.00}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    + HTTP, two round trips and the client {1000 * seconds / n - (receive.ServerMs + answer.ServerMs) / n:0.00}; one HSM signature alone {1000 / perCore:0.00}"));
        }

        Console.WriteLine();
    }

    /// <summary>The hub's first step without HTTP or the database: SamlMessageReader, SignatureVerifier and AuthnRequestReader on one core.</summary>
    private static double ReadAndVerifyMs(BenchSp sp, string sso, IServiceProvider services)
    {
        var requests = sp.MakeRequests(sso, 400, Environment.ProcessorCount);
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SamlOptions>>().Value;
        X509Certificate2[] trusted = [sp.SigningCertificate];
        var started = Stopwatch.GetTimestamp();
        foreach (var request in requests)
        {
            var read = SamlMessageReader.ReadRedirect(request[request.IndexOf('?', StringComparison.Ordinal)..], "SAMLRequest", options.MaxMessageBytes);
            var check = SignatureVerifier.Verify(read.Message!, trusted);
            var (message, _) = AuthnRequestReader.Read(check.VerifiedRoot!, DateTimeOffset.UtcNow, options.ClockSkew);
            if (!check.Signed || message is null)
            {
                throw new InvalidOperationException("a benchmark request did not read or verify in process");
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds / requests.Length;
    }

    /// <summary>The browser carrying each request to the hub and back, <paramref name="workers"/> at a time; the last answer page is kept for checking.</summary>
    private static async Task<(double Seconds, string Page)> RunAsync(HubWebClient browser, string[] requests, int workers)
    {
        var next = -1;
        var last = "";
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests.Length; i = Interlocked.Increment(ref next))
            {
                var sent = await browser.GetAsync(requests[i]);
                if (sent.Status != HttpStatusCode.Redirect || sent.Location is not { } location || !location.StartsWith("/saml/sso/continue/", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"/saml/sso answered {(int)sent.Status} {sent.Location}: {sent.Body[..Math.Min(300, sent.Body.Length)]}");
                }

                var answer = await browser.GetAsync(location);
                if (answer.Status != HttpStatusCode.OK || !answer.Body.Contains("name=\"SAMLResponse\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{location} answered {(int)answer.Status} {answer.Location}: {answer.Body[..Math.Min(300, answer.Body.Length)]}");
                }

                last = answer.Body;
            }
        })));
        return (Stopwatch.GetElapsedTime(started).TotalSeconds, last);
    }

    private static async Task RegisterAsync(IServiceProvider services, SamlCase c)
    {
        c.Sp = BenchSp.Create(c.Name, c.Encrypt);
        await using var scope = services.CreateAsyncScope();
        var (_, problem) = await scope.ServiceProvider.GetRequiredService<ServiceProviders>().AddAsync(new ServiceProviderSpec
        {
            Metadata = c.Sp.Metadata(),
            DisplayName = "Bench agency " + c.Name,
            SignResponse = c.SignResponse,
            EncryptAssertions = c.Encrypt,
            MinimumLevel = "substantial",
            GovernmentService = true, // the bench measures answers, not the consent page
        }, "bench", CancellationToken.None);
        if (problem is not null)
        {
            throw new InvalidOperationException($"the bench SP '{c.Name}' was refused: {problem}");
        }
    }

    /// <summary>One seeded citizen (active eID, password, TOTP) logged in through the pages: the browser that carries the requests.</summary>
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

    private static X509Certificate2 IdpMetadataCertificate(WebPage metadata) =>
        metadata.Status == HttpStatusCode.OK ? Testing.Saml.IdpMetadata.SigningCertificate(metadata.Body) : throw new InvalidOperationException($"/saml/metadata answered {(int)metadata.Status}");

    private static void Print(string name, List<double> rates) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-66} {Measure.Median(rates),9:0.0}   [{string.Join(", ", rates.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}]"));

    private sealed record SamlCase(string Name, string Title, bool SignResponse, bool Encrypt)
    {
        public BenchSp? Sp { get; set; }

        public int Signatures => SignResponse ? 2 : 1;

        public List<double> Rates { get; } = [];

        public List<double> Ratios { get; } = [];

        public List<double> ProcessMs { get; } = [];

        public List<double> MachineMs { get; } = [];
    }

    /// <summary>The HSM meter's signing time (hsm.sign.duration: renting a session and C_Sign), summed while it listens.</summary>
    private sealed class HsmSignTime : IDisposable
    {
        private readonly MeterListener _listener = new();
        private double _ms;
        private long _count;

        public HsmSignTime()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "IdentityHub.Hsm" && instrument.Name == "hsm.sign.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
            {
                lock (_listener)
                {
                    _ms += value;
                    _count++;
                }
            });
            _listener.Start();
        }

        public double Ms
        {
            get
            {
                lock (_listener)
                {
                    return _ms;
                }
            }
        }

        public long Count
        {
            get
            {
                lock (_listener)
                {
                    return _count;
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
