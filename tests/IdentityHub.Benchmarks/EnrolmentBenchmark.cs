using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Http;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Hsm;
using IdentityHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdentityHub.Benchmarks;

/// <summary>
/// `./hub bench enrolment`: eIDs issued per second end to end through the API beside the raw HSM key-generation rate
/// (same run, interleaved), person lookup latency with a million persons, and unwrap + sign latency for a citizen key
/// picked at random among 100,000. Prints figures; never passes or fails.
/// </summary>
internal static class EnrolmentBenchmark
{
    private const string ServicePoint = "BENCH";
    private static readonly byte[] Photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static async Task RunAsync(BenchmarkSettings settings)
    {
        var clients = settings.Has("--clients") ? settings.Clients : Math.Max(2, Environment.ProcessorCount * 2);
        var perRound = settings.Option("--eids", 200);
        var persons = settings.Option("--persons", 1_000_000);
        var keyCount = settings.Option("--keys", 100_000);
        var algorithm = settings.Key is null ? KeyAlgorithm.EcP256 : KeyAlgorithms.Parse(settings.Key);
        var (app, baseUrl) = await BenchHub.StartAsync(new Dictionary<string, string?> { ["Pki:HierarchyFile"] = HierarchyFor(settings.Key) });
        await using (app)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"IdentityHub enrolment benchmark: {Environment.ProcessorCount} cores, {clients} concurrent clients, {settings.Rounds} rounds x {perRound} eIDs, citizen keys {algorithm.ToConfigName()}, {persons:N0} persons, {keyCount:N0} citizen keys for unwrap + sign, HSM token {Environment.GetEnvironmentVariable("Hsm__TokenLabel")}"));
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(baseUrl) };
            var (device, officer, supervisor) = await SetUpAsync(app.Services, http);
            // The device's credential and the officer session made on it, as a counter sends them (docs/enrolment-api.md).
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.Token);
            http.DefaultRequestHeaders.Add(OfficerSessionEndpoints.SessionHeader, await device.SignInAsync(officer));

            await IssuanceAsync(app.Services, http, settings, clients, perRound, officer.UserName, supervisor.UserName, algorithm);
            await LookupsAsync(app.Services, http, persons, keyCount / 2, async ids => await KeysAsync(app.Services, ids, clients));
            await app.StopAsync();
        }
    }

    private static async Task IssuanceAsync(IServiceProvider services, HttpClient http, BenchmarkSettings settings, int clients, int perRound,
        string officer, string supervisor, KeyAlgorithm algorithm)
    {
        var vault = services.GetRequiredService<WrappedKeyVault>();
        var warmUp = Math.Max(clients * 4, 20);
        Console.WriteLine();
        Console.Write($"preparing {warmUp + (settings.Rounds * perRound * 2)} approved enrolments (through the services, not timed) ... ");
        var prepared = new Queue<Guid>(await PrepareAsync(services, warmUp + (settings.Rounds * perRound * 2), clients, officer, supervisor));
        Console.WriteLine("done");

        await IssueAsync(http, Take(prepared, warmUp), clients); // JIT, connection pools, plan caches
        var keygen = new List<double>();
        var issuance = new List<double>();
        var inProcess = new List<double>();
        var caSign = new List<double>();
        var keyring = await services.GetRequiredService<IdentityHub.Pki.Authorities.PkiKeyring>().GetAsync(CancellationToken.None);
        var caKey = keyring.Authority("citizen-sign").Key;
        var digest = SHA384.HashData("benchmark"u8);
        var actor = new StaffActor(officer, new HashSet<string> { StaffRoles.Officer }, "bench");
        for (var round = 0; round < settings.Rounds; round++)
        {
            keygen.Add(await Measure.RateAsync(clients, settings.RoundLength, _ => { vault.Generate(algorithm); return Task.CompletedTask; }));
            issuance.Add(await IssueAsync(http, Take(prepared, perRound), clients));
            caSign.Add(await Measure.RateAsync(clients, settings.RoundLength, _ => { caKey.SignDigest(digest, HashAlgorithmName.SHA384); return Task.CompletedTask; }));
            inProcess.Add(await IssueInProcessAsync(services, Take(prepared, perRound), clients, actor));
        }

        await CheckOneAsync(services);
        var keygenMedian = Measure.Median(keygen);
        var bound = keygenMedian / 2;
        var issued = Measure.Median(issuance);
        Console.WriteLine();
        Console.WriteLine($"{"measure",-60} {"median/s",10}   rounds");
        Print($"raw HSM key generation, {algorithm.ToConfigName()}, wrapped (keys/s)", keygen);
        Print("raw key-generation bound: keys/s / 2 (eIDs/s)", [bound]);
        Print($"raw HSM signature, citizen CA key ({caKey.Algorithm.ToConfigName()}) (signatures/s)", caSign);
        Print("eIDs issued in process (EidIssuer, no HTTP) (eIDs/s)", inProcess);
        Print("eIDs issued over HTTP: 2 keys + 2 certificates each (eIDs/s)", issuance);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"ratio issuance / key-generation bound",-60} {issued / bound,10:0.00}   (target >= 0.70: {(issued / bound >= 0.7 ? "met" : "NOT met")})"));
    }

    private static async Task LookupsAsync(IServiceProvider services, HttpClient http, int persons, int eidsWithKeys, Func<IReadOnlyList<Guid>, Task> keys)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        Console.WriteLine();
        Console.Write($"seeding {persons:N0} persons with COPY ... ");
        var (sample, firstIds, took) = await RegistrySeeder.SeedPersonsAsync(dataSource, persons, eidsWithKeys);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{took.TotalSeconds:0.0} s"));
        var actor = new StaffActor("bench-officer", new HashSet<string> { StaffRoles.Officer }, "bench");
        async Task Call(Func<PersonRegistry, Task<Outcome<IReadOnlyList<PersonView>>>> lookup)
        {
            await using var scope = services.CreateAsyncScope();
            var found = await lookup(scope.ServiceProvider.GetRequiredService<PersonRegistry>());
            if (!found.Succeeded || found.Value!.Count == 0)
            {
                throw new InvalidOperationException("a seeded person was not found");
            }
        }

        SeededPerson Pick(int i) => sample[(i * 7919) % sample.Count];
        await Latency.MeasureAsync(1, 200, i => Call(r => r.FindByNationalIdAsync(Pick(i).NationalId, actor, CancellationToken.None)));
        var byId = await Latency.MeasureAsync(1, 2000, i => Call(r => r.FindByNationalIdAsync(Pick(i).NationalId, actor, CancellationToken.None)));
        var byName = await Latency.MeasureAsync(1, 2000, i => Call(r => r.FindByNameAsync(Pick(i).Surname, Pick(i).GivenNames, Pick(i).DateOfBirth, actor, CancellationToken.None)));
        // Over HTTP the officer sees the persons of the counter's service point only (docs/enrolment.md): look up the people
        // this run issued eIDs to there, among a million others.
        var local = await LocalNationalIdsAsync(services);
        var overHttp = await Latency.MeasureAsync(1, 2000, async i =>
        {
            using var response = await http.GetAsync(new Uri($"{EnrolmentEndpoints.BasePath}/persons?nationalId={local[i % local.Count]}", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            if (!(await response.Content.ReadAsStringAsync()).Contains(local[i % local.Count], StringComparison.Ordinal))
            {
                throw new InvalidOperationException("a person of the counter's service point was not found over HTTP");
            }
        });
        var concurrent = await Latency.MeasureAsync(4, 500, i => Call(r => r.FindByNationalIdAsync(Pick(i).NationalId, actor, CancellationToken.None)));
        Console.WriteLine();
        Console.WriteLine($"person lookup with {persons:N0} persons in the registry (each lookup appends its audited view):");
        Latency.Print("by national id (PersonRegistry, 1 client)", byId, 5);
        Latency.Print("by surname + given names + date of birth (1 client)", byName, 5);
        Latency.Print("GET /persons?nationalId= over HTTP (1 client)", overHttp, 5);
        Latency.Print("by national id (PersonRegistry, 4 concurrent clients)", concurrent, 5);
        await keys(firstIds);
    }

    private static async Task<List<string>> LocalNationalIdsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.Persons.Where(p => db.Eids.Any(e => e.PersonId == p.Id && e.ServicePoint == ServicePoint && e.EnrolmentId != null))
            .OrderBy(p => p.NationalId).Select(p => p.NationalId).Take(2000).ToListAsync();
    }

    private static async Task KeysAsync(IServiceProvider services, IReadOnlyList<Guid> personIds, int workers)
    {
        var vault = services.GetRequiredService<WrappedKeyVault>();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        Console.WriteLine();
        Console.Write($"generating {personIds.Count * 2:N0} citizen keys in the HSM (wrapped) and storing them with COPY ... ");
        var (min, max, generated, copied) = await RegistrySeeder.SeedKeysAsync(dataSource, vault, personIds, workers);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated in {generated.TotalSeconds:0.0} s, stored in {copied.TotalSeconds:0.0} s"));
        var digest = SHA256.HashData("benchmark document"u8);
        async Task UnwrapAndSign(int _)
        {
            var id = Random.Shared.NextInt64(min, max + 1);
            await using var command = dataSource.CreateCommand("SELECT \"WrappedPrivateKey\", \"SubjectPublicKeyInfo\" FROM registry.eid_keys WHERE \"Id\" = $1");
            command.Parameters.AddWithValue(id);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var key = new WrappedKey(KeyAlgorithm.EcP256, (byte[])reader[0], (byte[])reader[1]);
            vault.SignDigest(key, digest, HashAlgorithmName.SHA256);
        }

        await Latency.MeasureAsync(1, 200, UnwrapAndSign);
        var one = await Latency.MeasureAsync(1, 3000, UnwrapAndSign);
        var two = await Latency.MeasureAsync(2, 1500, UnwrapAndSign);
        var many = await Latency.MeasureAsync(workers, 3000 / workers, UnwrapAndSign);
        Console.WriteLine();
        Console.WriteLine($"unwrap + sign for a citizen key picked at random among {max - min + 1:N0} (blob read from PostgreSQL each time; no certificates needed):");
        Latency.Print("1 worker", one, 5);
        Latency.Print("2 workers", two, 5);
        Latency.Print($"{workers} workers", many, 5);
    }

    /// <summary>A counter device at the benchmark's service point, and an officer and a supervisor assigned to it (with TOTP apps).</summary>
    private static async Task<(CounterDeviceClient Device, CounterStaff Officer, CounterStaff Supervisor)> SetUpAsync(IServiceProvider services, HttpClient http)
    {
        var device = await CounterDeviceClient.IssueAsync(services, http, ServicePoint, "bench");
        var officer = await services.CreateCounterStaffAsync("bench-officer", StaffRoles.Officer, ServicePoint);
        var supervisor = await services.CreateCounterStaffAsync("bench-supervisor", StaffRoles.Supervisor, ServicePoint);
        return (device, officer, supervisor);
    }

    private static async Task<List<Guid>> PrepareAsync(IServiceProvider services, int count, int workers, string officerName, string supervisorName)
    {
        var officer = new StaffActor(officerName, new HashSet<string> { StaffRoles.Officer }, "bench");
        var supervisor = new StaffActor(supervisorName, new HashSet<string> { StaffRoles.Supervisor }, "bench");
        var ids = new Guid[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await using var scope = services.CreateAsyncScope();
                var enrolments = scope.ServiceProvider.GetRequiredService<EnrolmentService>();
                var unique = Guid.NewGuid().ToString("N");
                var created = await enrolments.CreateAsync(new EnrolmentRequest
                {
                    GivenNames = "Bench",
                    Surname = "Issuance " + new string(unique[..10].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray()),
                    DateOfBirth = "1980-01-01",
                    PlaceOfBirth = "Tallinn",
                    Nationality = "EST",
                    DocumentType = "passport",
                    DocumentNumber = "B" + unique[..12].ToUpperInvariant(),
                    DocumentIssuingState = "EST",
                    DocumentExpiresOn = DateTime.UtcNow.AddYears(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ServicePoint = ServicePoint,
                }, new FacePhoto("image/png", Photo), officer, CancellationToken.None);
                var id = created.Value?.Id ?? throw new InvalidOperationException(created.Errors[0].Message);
                if (!(await enrolments.VerifyAsync(id, officer, CancellationToken.None)).Succeeded
                    || !(await enrolments.ApproveAsync(id, supervisor, CancellationToken.None)).Succeeded)
                {
                    throw new InvalidOperationException("verify or approve failed");
                }
                ids[i] = id;
            }
        })));
        return [.. ids];
    }

    /// <summary>Issues each enrolment once through the API from <paramref name="clients"/> concurrent clients; returns eIDs per second.</summary>
    private static async Task<double> IssueAsync(HttpClient http, IReadOnlyList<Guid> enrolments, int clients)
    {
        var next = -1;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < enrolments.Count; i = Interlocked.Increment(ref next))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{EnrolmentEndpoints.BasePath}/enrolments/{enrolments[i]}/issue");
                request.Headers.Add(EnrolmentEndpoints.IdempotencyHeader, Guid.NewGuid().ToString());
                using var response = await http.SendAsync(request);
                if (response.StatusCode != System.Net.HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"issue answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        return enrolments.Count / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<double> IssueInProcessAsync(IServiceProvider services, IReadOnlyList<Guid> enrolments, int workers, StaffActor actor)
    {
        var next = -1;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < enrolments.Count; i = Interlocked.Increment(ref next))
            {
                await using var scope = services.CreateAsyncScope();
                var issued = await scope.ServiceProvider.GetRequiredService<IdentityHub.Enrolment.Issuance.EidIssuer>().IssueAsync(enrolments[i], actor, CancellationToken.None);
                if (!issued.Succeeded)
                {
                    throw new InvalidOperationException(issued.Errors[0].Message);
                }
            }
        })));
        return enrolments.Count / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task CheckOneAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var eid = await db.Eids.OrderByDescending(e => e.IssuedAt).FirstAsync(e => e.ServicePoint == ServicePoint);
        var serials = await db.EidKeys.Where(k => k.EidId == eid.Id).Select(k => k.CertificateSerial).ToListAsync();
        var good = await db.IssuedCertificates.CountAsync(c => serials.Contains(c.SerialNumber) && c.Status == IdentityHub.Data.Pki.CertificateStatus.Good);
        if (eid.Status != EidStatus.Active || good != 2)
        {
            throw new InvalidOperationException($"the last eID issued is {eid.Status} with {good} good certificates");
        }
    }

    /// <summary>The shipped hierarchy, or a copy whose citizen profiles use another key (e.g. --key RSA-3072, slow to generate as on a real HSM).</summary>
    private static string HierarchyFor(string? key)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "pki", "hierarchy.json");
        if (key is null)
        {
            return shipped;
        }

        var hierarchy = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(shipped))!;
        hierarchy["profiles"]!["citizen-authentication"]!["key"] = key;
        hierarchy["profiles"]!["citizen-signature"]!["key"] = key;
        var path = Path.Combine(Path.GetTempPath(), $"hierarchy-enrolment-bench-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, hierarchy.ToJsonString());
        return path;
    }

    private static List<Guid> Take(Queue<Guid> queue, int count) => Enumerable.Range(0, count).Select(_ => queue.Dequeue()).ToList();

    private static void Print(string name, IReadOnlyList<double> rates) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-60} {Measure.Median(rates),10:0.0}   {string.Join(' ', rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))}"));
}
