using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Authentication.Passwords;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Benchmarks;

/// <summary>
/// `./hub bench login`: password + TOTP logins/s and passkey logins/s end to end over HTTP, as a browser makes them,
/// beside the raw rate of the one costly operation each needs (an Argon2id verification with the hub's own hasher; an
/// ECDSA P-256 verification), measured in the same run, interleaved round by round so all see the same machine. A
/// profile pass afterwards (one client, then all; not part of the figures) shows where a login's time goes inside the hub.
/// Prints figures; never passes or fails.
/// </summary>
internal static class LoginBenchmark
{
    private const double PasswordRatioTarget = 0.80;
    private const double PasskeyTarget = 1_000;
    private const int PasswordRequests = 4;
    private const int PasskeyRequests = 3;

    public static async Task RunAsync(BenchmarkSettings settings)
    {
        var workers = Environment.ProcessorCount;
        var clients = settings.Has("--clients") ? settings.Clients : workers * 4;
        var (app, baseUrl) = await BenchHub.StartAsync(new Dictionary<string, string?>
        {
            ["Authentication:RateLimits:SignInPerMinute"] = "10000000",
            ["Authentication:RateLimits:ActivationPerMinute"] = "10000000",
            ["Authentication:Passkeys:RelyingPartyId"] = "localhost",
            // BenchHub picks its port itself, so the node's origin is known only once it listens; set just below.
            ["Authentication:Passkeys:Origins:0"] = "http://localhost",
        });
        await using (app)
        {
            var address = new Uri(baseUrl);
            // A browser names the node localhost (WebAuthn refuses IP addresses): its origin is http://localhost:PORT. The
            // options object is the one the passkey handler's origin check reads on every ceremony; no ceremony ran yet.
            var origin = $"http://localhost:{address.Port}";
            app.Services.GetRequiredService<IOptions<PasskeyOptions>>().Value.Origins = [origin];

            await using var scope = app.Services.CreateAsyncScope();
            var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<HubAccount>>();
            var cost = app.Services.GetRequiredService<IOptions<Argon2idOptions>>().Value;
            if (hasher is not Argon2idPasswordHasher)
            {
                throw new InvalidOperationException($"the hub's password hasher is {hasher.GetType().Name}, not Argon2id");
            }

            var hash = hasher.HashPassword(new HubAccount(), LoginCitizens.Password);
            var probe = new HubAccount();
            Task VerifyPassword(int _) => hasher.VerifyHashedPassword(probe, hash, LoginCitizens.Password) == PasswordVerificationResult.Success
                ? Task.CompletedTask
                : throw new InvalidOperationException("the hub's hasher refused the right password");

            // Enough citizens that none needs a TOTP step it already used, at the most this machine could log in (one
            // Argon2id verification per login, from its CPU time, whatever else runs now): each may use this step and the next.
            var calibrationStart = CpuSample.Now();
            var calibration = await Measure.RateAsync(workers, TimeSpan.FromSeconds(1), VerifyPassword);
            var (verificationMs, _) = CpuSample.Now().PerOperation(calibrationStart, calibration);
            var passwordSeconds = 1 + ((settings.Rounds + 3) * settings.RoundLength.TotalSeconds);
            var accounts = settings.Option("--accounts", Math.Max(200, (int)Math.Ceiling(workers * 1000 / verificationMs * passwordSeconds * 0.6)));

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"IdentityHub login benchmark: {workers} cores, {clients} concurrent clients, {settings.Rounds} rounds x {settings.RoundLength.TotalSeconds:0} s, Argon2id m = {cost.MemoryKiB} KiB t = {cost.Iterations} p = 1 (the hub's hasher), {accounts:N0} citizens with password + TOTP, {clients} with a passkey, origin {origin}, HSM token {Environment.GetEnvironmentVariable("Hsm__TokenLabel")}"));
            Console.WriteLine();
            Console.Write($"seeding {accounts + clients:N0} citizens (persons with an active eID, accounts, TOTP apps) through the hub's services, not timed ... ");
            var seeding = System.Diagnostics.Stopwatch.StartNew();
            var seeded = await LoginCitizens.SeedAsync(app.Services, hash, accounts + clients, workers * 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seeding.Elapsed.TotalSeconds:0.0} s"));
            var pool = new CitizenPool(seeded.Take(accounts));
            var authenticators = Enumerable.Range(0, clients).Select(_ => new SoftwareAuthenticator(origin)).ToArray();
            Console.Write($"registering {clients} passkeys through the pages (password + TOTP login, /account/passkey), not timed ... ");
            await LoginCitizens.RegisterPasskeysAsync(address, seeded.Skip(accounts).ToList(), authenticators);
            Console.WriteLine("done");

            var passwordClients = Enumerable.Range(0, clients).Select(_ => new HubWebClient(address)).ToArray();
            var passkeyClients = Enumerable.Range(0, clients).Select(_ => new HubWebClient(address)).ToArray();
            long logins = clients;
            async Task PasswordLogin(int i)
            {
                var client = NewVisitor(passwordClients[i % clients]);
                var (citizen, code) = pool.Take();
                try
                {
                    await LoginCitizens.LoginAsync(client, citizen, code);
                }
                finally
                {
                    pool.Return(citizen);
                }

                Interlocked.Increment(ref logins);
            }

            // Each client keeps its own authenticator (its own account), so signature counters never race.
            async Task PasskeyLogin(int i)
            {
                await PasskeyLoginAsync(NewVisitor(passkeyClients[i % clients]), authenticators[i % clients]);
                Interlocked.Increment(ref logins);
            }

            var (verifyKeys, message, signatures) = SignedMessages(workers);
            Task VerifySignature(int i) => verifyKeys[i % workers].VerifyData(message, signatures[i % workers], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                ? Task.CompletedTask
                : throw new InvalidOperationException("an ECDSA signature did not verify");

            // Reference: the same clients against a bare Kestrel endpoint answering with a page of /login's size.
            var floorPort = FreePort();
            await using var floor = BareEndpoint(floorPort, (await passwordClients[0].GetAsync("/login")).Body);
            await floor.StartAsync();
            var floorClients = Enumerable.Range(0, clients).Select(_ => new HubWebClient(new Uri($"http://127.0.0.1:{floorPort}"))).ToArray();
            Task FloorRequest(int i) => floorClients[i % clients].GetAsync("/");

            // Warm-up: JIT, connection pools, PostgreSQL plan caches.
            await Measure.RateAsync(clients, TimeSpan.FromSeconds(1), FloorRequest);
            await Measure.RateAsync(clients, TimeSpan.FromSeconds(1), PasswordLogin);
            await Measure.RateAsync(workers, TimeSpan.FromSeconds(1), VerifySignature);
            await Measure.RateAsync(clients, TimeSpan.FromSeconds(1), PasskeyLogin);

            var floorRates = new List<double>();
            var argon2 = new Measured();
            var password = new Measured();
            var ecdsa = new Measured();
            var passkey = new Measured();
            for (var round = 0; round < settings.Rounds; round++)
            {
                floorRates.Add(await Measure.RateAsync(clients, settings.RoundLength, FloorRequest));
                await argon2.RunAsync(workers, settings.RoundLength, VerifyPassword);
                await password.RunAsync(clients, settings.RoundLength, PasswordLogin);
                await ecdsa.RunAsync(workers, settings.RoundLength, VerifySignature);
                await passkey.RunAsync(clients, settings.RoundLength, PasskeyLogin);
            }

            var http = Measure.Median(floorRates);
            var rawArgon2 = Measure.Median(argon2.Rates);
            var rawEcdsa = Measure.Median(ecdsa.Rates);
                        var passkeyLogins = Measure.Median(passkey.Rates);
            var passwordBound = 1 / ((1 / rawArgon2) + (PasswordRequests / http));
            var passkeyBound = 1 / ((1 / rawEcdsa) + (PasskeyRequests / http));
            Console.WriteLine();
            Console.WriteLine($"{"measure",-60} {"median/s",10}   rounds");
            Print("reference: HTTP round trip, bare endpoint (requests/s)", floorRates);
            Print($"raw Argon2id verifications, the hub's hasher, {workers} workers", argon2.Rates);
            Print($"password + TOTP logins over HTTP ({PasswordRequests} requests, {clients} clients)", password.Rates);
            // Ratios round by round: each pair ran back to back, so a machine whose speed drifts (a shared VM) cancels out.
            var passwordRatios = password.Rates.Zip(argon2.Rates, (login, raw) => login / raw).ToList();
            var passwordRatio = Measure.Median(passwordRatios);
            Ratio("ratio password logins / raw Argon2id", passwordRatios,
                $"target >= {PasswordRatioTarget:0.00}: {Met(passwordRatio >= PasswordRatioTarget)}; bound on this machine {passwordBound / rawArgon2:0.00}");
            Print($"raw ECDSA P-256 verifications, {message.Length}-byte message, DER, {workers} workers", ecdsa.Rates);
            Print($"passkey logins over HTTP ({PasskeyRequests} requests, {clients} clients)", passkey.Rates);
            Ratio("passkey logins / target 1,000/s", passkey.Rates.Select(r => r / PasskeyTarget).ToList(),
                $"target >= 1.00: {Met(passkeyLogins >= PasskeyTarget)}; bound on this machine {passkeyBound:0}/s");
            Ratio("ratio passkey logins / raw ECDSA verifications", passkey.Rates.Zip(ecdsa.Rates, (login, raw) => login / raw).ToList(), "one verification per login");
            Console.WriteLine();
            Console.WriteLine("CPU per operation (medians of the rounds; \"process\" is the hub and the load generator, the rest is PostgreSQL and anything else running):");
            argon2.PrintCpu("raw Argon2id verification");
            password.PrintCpu("password + TOTP login");
            ecdsa.PrintCpu("raw ECDSA P-256 verification");
            passkey.PrintCpu("passkey login");
            if (argon2.ForeignShare > 0.10)
            {
                // Raw Argon2id touches neither PostgreSQL nor the network: whatever else used the machine then was foreign.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  note: {argon2.ForeignShare:0%} of the machine's CPU during the raw Argon2id rounds went to other processes (another ./hub test?): rates and ratios are skewed"));
            }
            Console.WriteLine();
            Console.WriteLine("bound: 1 / (1/raw + requests/http), what a login costing nothing but its one verification and its HTTP round trips");
            Console.WriteLine($"could reach here. All of it shares {workers} cores: PostgreSQL, the hub and the load generator (clients, and for passkeys the");
            Console.WriteLine("authenticators' signatures). Password logins: Argon2id plus the pages, antiforgery, Data Protection and the SQL of each step.");
            Console.WriteLine("Passkey logins: no costly crypto at all, so the pages, the SQL and the audit chain (one append per login under one lock) set the pace.");

            Console.WriteLine();
            Console.WriteLine($"where a login's time goes (after the figures, not part of them; {settings.RoundLength.TotalSeconds:0} s each): Argon2id, one SQL query and the logins in process from {clients} workers,");
            Console.WriteLine($"then each login from 1 client (one at a time, timed inside the hub) and from {clients}");
            // Argon2id from as many workers as the login has clients: what the verifications cost when more run than there are cores.
            var crowded = new Measured();
            await crowded.RunAsync(clients, settings.RoundLength, VerifyPassword);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw Argon2id verifications from {clients} workers: {crowded.Rates[0]:0.0}/s"));
            crowded.PrintCpu($"raw Argon2id verification, {clients} workers");
            // One SQL command as the login issues them (an EF Core COUNT by account, as AccountMethods runs): its CPU on both sides.
            var accountId = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.Where(u => u.UserName == seeded[0].NationalId).Select(u => u.Id).FirstAsync();
            var contexts = Enumerable.Range(0, clients).Select(_ => app.Services.CreateAsyncScope()).ToArray();
            var query = new Measured();
            await query.RunAsync(clients, settings.RoundLength, i => contexts[i % clients].ServiceProvider.GetRequiredService<HubDbContext>().TotpAuthenticators.CountAsync(t => t.AccountId == accountId));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one EF Core query (COUNT of an account's TOTP apps) from {clients} workers: {query.Rates[0]:0}/s"));
            query.PrintCpu("one EF Core query");
            foreach (var context in contexts)
            {
                await context.DisposeAsync();
            }

            // The login's own work without HTTP, pages or load generator: LoginFlow called as the pages call it.
            var inProcess = new InProcessLogins(app.Services);
            var passwordInProcess = new Measured();
            await passwordInProcess.RunAsync(clients, settings.RoundLength, async _ =>
            {
                var (citizen, code) = pool.Take();
                try
                {
                    await inProcess.PasswordAndTotpAsync(citizen, code);
                }
                finally
                {
                    pool.Return(citizen);
                }

                Interlocked.Increment(ref logins);
            });
            // The password step alone, then what follows it for the same logins: which step holds the cost besides Argon2id.
            var started = new System.Collections.Concurrent.ConcurrentQueue<(BenchCitizen Citizen, string Code, string Cookies)>();
            var passwordStep = new Measured();
            await passwordStep.RunAsync(clients, settings.RoundLength, async _ =>
            {
                var (citizen, code) = pool.Take();
                started.Enqueue((citizen, code, await inProcess.PasswordStepAsync(citizen)));
            });
            var secondStep = new Measured();
            var secondSteps = 0L;
            await secondStep.RunAllAsync(clients, async () =>
            {
                while (started.TryDequeue(out var login))
                {
                    await inProcess.SecondStepAsync(login.Cookies, login.Code);
                    pool.Return(login.Citizen);
                    Interlocked.Increment(ref logins);
                    Interlocked.Increment(ref secondSteps);
                }
            }, () => secondSteps);
            var passkeyInProcess = new Measured();
            await passkeyInProcess.RunAsync(clients, settings.RoundLength, async i =>
            {
                await inProcess.PasskeyAsync(authenticators[i % clients]);
                Interlocked.Increment(ref logins);
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"logins in process (LoginFlow, no HTTP) from {clients} workers: password + TOTP {passwordInProcess.Rates[0]:0.0}/s, passkey {passkeyInProcess.Rates[0]:0.0}/s"));
            passwordInProcess.PrintCpu("password + TOTP login in process");
            passwordStep.PrintCpu("  of it the password step");
            secondStep.PrintCpu("  and the pending + TOTP steps");
            passkeyInProcess.PrintCpu("passkey login in process");

            await ProfileAsync("password + TOTP login", settings.RoundLength, clients, settings.Option("--sql", 8), PasswordLogin);
            await ProfileAsync("passkey login", settings.RoundLength, clients, settings.Option("--sql", 8), PasskeyLogin);

            await CheckAsync(app.Services, Interlocked.Read(ref logins));
            foreach (var disposable in passwordClients.Concat(passkeyClients).Concat(floorClients).Cast<IDisposable>().Concat(authenticators).Concat(verifyKeys))
            {
                disposable.Dispose();
            }

            await app.StopAsync();
        }
    }

    /// <summary>Passkey alone (discoverable credential, user verification), as the login page's script does it.</summary>
    private static async Task PasskeyLoginAsync(HubWebClient client, SoftwareAuthenticator authenticator)
    {
        var page = await client.GetAsync("/login");
        var token = HubWebClient.TokenOf(page.Body);
        var answer = await client.PostAsync("/login?handler=PasskeyOptions", new Dictionary<string, string>(), token);
        if (answer.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"passkey options: {(int)answer.Status} {answer.Location}");
        }

        using var json = JsonDocument.Parse(answer.Body);
        var credential = authenticator.Assert(json.RootElement.GetProperty("options").GetRawText());
        CitizenWeb.Expect(await client.PostAsync("/login?handler=Passkey", new Dictionary<string, string>
        {
            ["ChallengeId"] = json.RootElement.GetProperty("challengeId").GetGuid().ToString(),
            ["Credential"] = credential,
        }, token), "/account", "passkey login");
    }

    /// <summary>A new visitor on the same connection: no session, login-state or antiforgery cookie from the last login.</summary>
    private static HubWebClient NewVisitor(HubWebClient client)
    {
        foreach (Cookie cookie in client.Cookies.GetAllCookies())
        {
            cookie.Expired = true;
        }

        return client;
    }

    /// <summary>What a passkey assertion signs (WebAuthn §7.2 step 20): authenticator data (37 bytes) || SHA-256(clientDataJSON).</summary>
    private static (ECDsa[] Keys, byte[] Message, byte[][] Signatures) SignedMessages(int workers)
    {
        var message = new byte[37 + 32];
        RandomNumberGenerator.Fill(message);
        var keys = new ECDsa[workers];
        var signatures = new byte[workers][];
        for (var w = 0; w < workers; w++)
        {
            using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            signatures[w] = signer.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            keys[w] = ECDsa.Create(signer.ExportParameters(includePrivateParameters: false));
        }

        return (keys, message, signatures);
    }

    private static async Task ProfileAsync(string name, TimeSpan duration, int clients, int statements, Func<int, Task> login)
    {
        foreach (var concurrency in new[] { 1, clients })
        {
            var count = 0;
            using var profile = new RequestProfile();
            var start = CpuSample.Now();
            var rate = await Measure.RateAsync(concurrency, duration, async i =>
            {
                await login(i);
                Interlocked.Increment(ref count);
            });
            var (process, machine) = CpuSample.Now().PerOperation(start, count);
            if (concurrency == 1)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {rate:0.0} logins/s from 1 client ({1000 / rate:0.00} ms each at the client; CPU machine {machine:0.00} ms, process {process:0.00} ms), {count} logins"));
                profile.Print(count, statements);
            }
            else
            {
                // With every client at once: how long the same steps take when they queue for the cores and the audit chain.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  at {concurrency} clients ({rate:0.0} logins/s; CPU machine {machine:0.00} ms, process {process:0.00} ms per login): server {profile.ServerMs / count:0.00} ms per login, SQL {profile.CommandMs / count:0.00} ms of it; audit chain lock wait {profile.StatementMs("SELECT pg_advisory_xact_lock"):0.00} ms per append"));
            }
        }
    }

    /// <summary>The figures only count if the logins were real: a session each, and an audit chain that still verifies.</summary>
    private static async Task CheckAsync(IServiceProvider services, long logins)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var sessions = await db.Sessions.LongCountAsync();
        var succeeded = await db.AuditEvents.LongCountAsync(e => e.Type == "auth.login.succeeded");
        var chain = await scope.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None);
        if (sessions < logins || succeeded < logins || !chain.Intact)
        {
            throw new InvalidOperationException($"{logins} logins made, but {sessions} sessions and {succeeded} login events; audit chain: {chain.Problem ?? "intact"}");
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checked: {logins:N0} logins made, {sessions:N0} sessions opened, {succeeded:N0} auth.login.succeeded events, audit chain intact ({chain.Events:N0} events)"));
    }

    /// <summary>A minimal Kestrel app: what HTTP alone costs on this machine with these clients.</summary>
    private static WebApplication BareEndpoint(int port, string page)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        return app;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Met(bool met) => met ? "met" : "NOT met";

    private static void Print(string name, IReadOnlyList<double> rates) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-60} {Measure.Median(rates),10:0.0}   {string.Join(' ', rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))}"));

    private static void Ratio(string name, IReadOnlyList<double> ratios, string note) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-60} {Measure.Median(ratios),10:0.00}   {string.Join(' ', ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}   ({note})"));

    /// <summary>Rates of one measure, round by round, with the CPU each operation took.</summary>
    private sealed class Measured
    {
        private readonly List<double> _processMs = [];
        private readonly List<double> _machineMs = [];

        public List<double> Rates { get; } = [];

        public async Task RunAsync(int workers, TimeSpan duration, Func<int, Task> operation)
        {
            var start = CpuSample.Now();
            var rate = await Measure.RateAsync(workers, duration, operation);
            var end = CpuSample.Now();
            var (process, machine) = end.PerOperation(start, rate * System.Diagnostics.Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds);
            Rates.Add(rate);
            _processMs.Add(process);
            _machineMs.Add(machine);
        }

        /// <summary>Runs <paramref name="workers"/> loops until each returns; <paramref name="done"/> says how many operations they made.</summary>
        public async Task RunAllAsync(int workers, Func<Task> loop, Func<long> done)
        {
            var start = CpuSample.Now();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(loop)));
            var end = CpuSample.Now();
            var (process, machine) = end.PerOperation(start, done());
            Rates.Add(done() / System.Diagnostics.Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds);
            _processMs.Add(process);
            _machineMs.Add(machine);
        }

        /// <summary>The share of the machine's CPU time that was not this process (median of the rounds).</summary>
        public double ForeignShare => Measure.Median(_machineMs.Zip(_processMs, (machine, process) => machine > 0 ? Math.Max(0, machine - process) / machine : 0).ToList());

        public void PrintCpu(string name)
        {
            var process = Measure.Median(_processMs);
            var machine = Measure.Median(_machineMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-40} machine {machine,6:0.00} ms   process {process,6:0.00} ms   rest {Math.Max(0, machine - process),6:0.00} ms"));
        }
    }
}
