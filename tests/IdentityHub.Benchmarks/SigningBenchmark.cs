using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using IdentityHub.Data;
using IdentityHub.Data.Signing;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf;
using IdentityHub.Signing.Requests;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.TimeStamps;
using IdentityHub.Signing.Validation;
using IdentityHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IdentityHub.Benchmarks;

/// <summary>
/// `./hub bench signing`: PAdES B-B and B-T signatures per second for a 100 KB and a 10 MB PDF over HTTP (the
/// portal's "complete" call after the citizen's activation: gate, HSM signature, time-stamp, database), beside the raw
/// unwrap + sign rate of the same citizen key and the machine's SHA-256 throughput, measured in the same run, with
/// where one signature's time goes. Documents are uploaded and activations made beforehand (marked activated in the
/// database, as a confirmed passkey leaves them); only the signing request is timed.
/// </summary>
internal static class SigningBenchmark
{
    private const int SmallBytes = 100 * 1024;
    private const int LargeBytes = 10 * 1024 * 1024;

    public static async Task RunAsync(BenchmarkSettings settings)
    {
        var (app, baseUrl) = await BenchHub.StartAsync(new Dictionary<string, string?>
        {
            ["Signing:ActivationLifetime"] = "00:30:00",
        });
        await using var _ = app;
        var letter = await Citizens.IssueCitizenAsync(app.Services, "Bench");
        var citizen = await CitizenWeb.ActivateWithTotpAsync(new Uri(baseUrl), letter);
        var accountId = await AccountIdAsync(app.Services, letter.NationalId);
        var workers = settings.Has("--clients") ? settings.Clients : 2;
        var small = Pdf(SmallBytes);
        var large = Pdf(LargeBytes);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IdentityHub signing benchmark: {settings.Rounds} rounds, {Environment.ProcessorCount} cores, {workers} concurrent clients, citizen key P-256 wrapped in SoftHSM"));

        CitizenSigner signer;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var signers = scope.ServiceProvider.GetRequiredService<CitizenSigners>();
            var credential = (await signers.FindAsync(await PersonIdAsync(app.Services, accountId), CancellationToken.None))!;
            signer = new CitizenSigner(letter, credential.PersonId, credential, await signers.OpenAsync(credential, CancellationToken.None));
        }

        var pades = app.Services.GetRequiredService<PadesSigner>();
        var tsa = app.Services.GetRequiredService<ITimeStampSource>();
        var digest = SHA256.HashData("benchmark"u8);
        var raw = new List<double>();
        var hashRates = new List<double>();
        var tsaRates = new List<double>();
        var databaseRates = new List<double>();
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var stored = await PrepareAsync(app.Services, accountId, large, "B-B", workers);
        var inProcess = new Dictionary<string, List<double>>();
        var overHttp = new Dictionary<string, List<double>>();
        var cases = new (string Name, byte[] Pdf, string Level, int Count)[]
        {
            ("100 KB B-B", small, "B-B", settings.Option("--small", 120)),
            ("100 KB B-T", small, "B-T", settings.Option("--small", 120)),
            ("10 MB B-B", large, "B-B", settings.Option("--large", 6)),
            ("10 MB B-T", large, "B-T", settings.Option("--large", 6)),
        };

        for (var round = 0; round < settings.Rounds; round++)
        {
            raw.Add(await Measure.RateAsync(workers, TimeSpan.FromSeconds(2), _ =>
            {
                signer.Identity.Key.SignDigest(digest, HashAlgorithmName.SHA256);
                return Task.CompletedTask;
            }));
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < 10; i++)
            {
                SHA256.HashData(large);
            }

            hashRates.Add(10 * (double)LargeBytes / Stopwatch.GetElapsedTime(started).TotalSeconds);
            tsaRates.Add(await Measure.RateAsync(workers, TimeSpan.FromSeconds(1), _ => tsa.TimeStampAsync(digest, HashAlgorithmName.SHA256, CancellationToken.None)));
            databaseRates.Add(await Measure.RateAsync(workers, TimeSpan.FromSeconds(3), i => DatabaseReadAsync(dataSource, stored[i % workers])));

            foreach (var (name, pdf, level, count) in cases)
            {
                var parameters = new PadesParameters { Level = SigningRequests.ParseLevel(level)!.Value };
                var inProcessCount = Math.Max(2, count / 4);
                started = Stopwatch.GetTimestamp();
                await Parallel.ForAsync(0, inProcessCount, new ParallelOptions { MaxDegreeOfParallelism = workers },
                    async (_, ct) => await pades.SignAsync(pdf, signer.Identity, parameters, ct));
                Add(inProcess, name, inProcessCount / Stopwatch.GetElapsedTime(started).TotalSeconds);

                var requests = await PrepareAsync(app.Services, accountId, pdf, level, count);
                started = Stopwatch.GetTimestamp();
                await SignOverHttpAsync(citizen.Client, requests, workers);
                Add(overHttp, name, count / Stopwatch.GetElapsedTime(started).TotalSeconds);
                await CheckOneAsync(app.Services, requests[0], level);
                await PurgeAsync(app.Services, requests);
            }
        }

        var rawRate = Measure.Median(raw);
        var hashRate = Measure.Median(hashRates);
        var tsaRate = Measure.Median(tsaRates);
        var databaseRate = Measure.Median(databaseRates);
        Console.WriteLine();
        Console.WriteLine($"{"measure",-52} {"median/s",10}   rounds");
        Print("raw unwrap + sign + destroy (the same P-256 key)", raw);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"SHA-256 throughput, MB/s",-52} {hashRate / 1e6,10:0}"));
        Print("time-stamps from the hub's TSA (in process)", tsaRates);
        Print("PostgreSQL: read a stored 10 MB document (reference)", databaseRates);
        foreach (var (name, _, _, _) in cases)
        {
            Print($"PAdES {name}, in process (no HTTP, no database)", inProcess[name]);
            Print($"PAdES {name}, over HTTP", overHttp[name]);
        }

        var smallBb = Measure.Median(overHttp["100 KB B-B"]);
        var largeBb = Measure.Median(overHttp["10 MB B-B"]);
        var bound10Mb = 1 / ((LargeBytes / hashRate) + (1 / rawRate));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target 1: 100 KB B-B over HTTP / raw unwrap + sign = {smallBb / rawRate:0.00} (target >= 0.50)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target 2: 10 MB B-B time / (hash 10 MB + one signature) = {bound10Mb / largeBb:0.00} (target <= 2.00; bound {bound10Mb:0.0}/s with {workers} clients' cores shared)"));
        var storedBound = 1 / ((1 / bound10Mb) + (1 / databaseRate));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"          with the stored document read from PostgreSQL (the reference above; the signed PDF is stored as the few KB it appends): bound {storedBound:0.0}/s, ratio to it {storedBound / largeBb:0.00}"));
        Console.WriteLine();
        Console.WriteLine("profile pass (not part of the figures above): server time, the hub's spans and SQL per signature over HTTP");
        foreach (var (name, pdf, level, count) in cases.Where(c => c.Level == "B-B"))
        {
            var requests = await PrepareAsync(app.Services, accountId, pdf, level, count);
            using (var profile = new RequestProfile(request => $"{request.Method} {(request.Path.StartsWithSegments("/sign/requests") ? "/sign/requests/{id}" : request.Path)}{request.QueryString}"))
            {
                await SignOverHttpAsync(citizen.Client, requests, workers);
                Console.WriteLine($"PAdES {name}:");
                profile.Print(count, 8, "signature");
            }

            await PurgeAsync(app.Services, requests);
        }

        Console.WriteLine();
        Console.WriteLine("where one signature's time goes (ms, medians; over HTTP = in process + request, gate, database):");
        foreach (var (name, _, level, _) in cases)
        {
            var http = 1000 * workers / Measure.Median(overHttp[name]);
            var local = 1000 * workers / Measure.Median(inProcess[name]);
            var size = name.StartsWith("10 MB", StringComparison.Ordinal) ? LargeBytes : SmallBytes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-12} total {http,8:0.0}  = PAdES {local,8:0.0} (of which HSM {1000 * workers / rawRate:0.0}, SHA-256 {1000.0 * size / hashRate:0.0}{(level == "B-T" ? $", TSA {1000 * workers / tsaRate:0.0}" : "")}) + HTTP/gate/database {http - local:0.0}"));
        }
    }

    /// <summary>
    /// What a stored document costs on its own: its 10 MB read from signing.documents, as signing it reads it (a signed
    /// PDF is then stored as the revision it appends, a few kilobytes, so no second 10 MB is written).
    /// </summary>
    private static async Task DatabaseReadAsync(NpgsqlDataSource dataSource, Guid requestId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var read = new NpgsqlCommand("""SELECT "Content" FROM signing.documents WHERE "RequestId" = $1""", connection);
        read.Parameters.Add(new NpgsqlParameter { Value = requestId });
        _ = (byte[])(await read.ExecuteScalarAsync())!;
    }

    /// <summary>The citizen's browser finishing each request (the page's "complete" step), <paramref name="workers"/> at a time.</summary>
    private static Task SignOverHttpAsync(HubWebClient client, List<Guid> requests, int workers)
    {
        var queue = new System.Collections.Concurrent.ConcurrentQueue<Guid>(requests);
        return Parallel.ForAsync(0, workers, async (_, _) =>
        {
            while (queue.TryDequeue(out var id))
            {
                var done = await client.GetAsync($"/sign/requests/{id}?handler=complete");
                if (done.Status != HttpStatusCode.Redirect || done.Location != $"/sign/requests/{id}")
                {
                    throw new InvalidOperationException($"signing request {id} answered {(int)done.Status}: {done.Body[..Math.Min(300, done.Body.Length)]}");
                }
            }
        });
    }

    private static void Add(Dictionary<string, List<double>> rates, string name, double rate)
    {
        if (!rates.TryGetValue(name, out var list))
        {
            rates[name] = list = [];
        }

        list.Add(rate);
    }

    /// <summary>Uploads <paramref name="count"/> copies and activates each, as a confirmed passkey would.</summary>
    private static async Task<List<Guid>> PrepareAsync(IServiceProvider services, Guid accountId, byte[] pdf, string level, int count)
    {
        var ids = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var created = await scope.ServiceProvider.GetRequiredService<SigningRequests>().CreateAsync(
                new NewSigningRequest([new SignedFile($"bench-{i}.pdf", "application/pdf", pdf)], RequestFormats.Pades, SigningRequests.ParseLevel(level)!.Value),
                accountId, null, null, null, "bench", CancellationToken.None);
            var activation = await scope.ServiceProvider.GetRequiredService<RequestCompletion>().PrepareActivationAsync(created.Value!.Id, accountId, "127.0.0.1", CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<HubDbContext>().SignatureActivations.Where(a => a.Id == activation.Value!.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.State, SignatureActivationStates.Activated)
                    .SetProperty(a => a.ActivatedAt, DateTimeOffset.UtcNow).SetProperty(a => a.Method, "bench"));
            ids.Add(created.Value.Id);
        }

        return ids;
    }

    /// <summary>One signed result of each case must validate, or the figures are of something else.</summary>
    private static async Task CheckOneAsync(IServiceProvider services, Guid id, string level)
    {
        await using var scope = services.CreateAsyncScope();
        var accountId = await scope.ServiceProvider.GetRequiredService<HubDbContext>().SigningRequests.Where(r => r.Id == id).Select(r => r.AccountId!.Value).SingleAsync();
        var signed = (await scope.ServiceProvider.GetRequiredService<SigningRequests>().SignedDocumentAsync(id, 0, accountId, null, CancellationToken.None))!.Content.ToArray();
        var report = await scope.ServiceProvider.GetRequiredService<ValidationService>()
            .ValidateAsync(new ValidationInput("bench.pdf", signed!, []), null, CancellationToken.None);
        var signature = report.Signatures.Single();
        if (signature.Indication != Indication.TotalPassed || SigningRequests.LevelName(signature.Level) != level)
        {
            throw new InvalidOperationException($"a benchmark signature did not validate: {signature.Indication} {signature.Level} {string.Join(" | ", signature.Messages)}");
        }
    }

    private static async Task PurgeAsync(IServiceProvider services, List<Guid> ids)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HubDbContext>().SigningDocuments.Where(d => ids.Contains(d.RequestId))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.SignedContent, (byte[]?)null).SetProperty(d => d.Content, (byte[]?)null));
    }

    private static async Task<Guid> AccountIdAsync(IServiceProvider services, string nationalId)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.Where(u => u.UserName == nationalId).Select(u => u.Id).SingleAsync();
    }

    private static async Task<Guid> PersonIdAsync(IServiceProvider services, Guid accountId)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.Where(u => u.Id == accountId).Select(u => u.PersonId).SingleAsync())!.Value;
    }

    /// <summary>A one-page PDF of about <paramref name="size"/> bytes: its content stream carries the bulk (as a scanned page's image would).</summary>
    private static byte[] Pdf(int size)
    {
        var filler = new StringBuilder();
        filler.Append("BT /F1 12 Tf 72 760 Td (Benchmark document) Tj ET\n");
        var line = "% " + new string('x', 76) + "\n";
        while (filler.Length < size - 600)
        {
            filler.Append(line);
        }

        var content = Encoding.ASCII.GetBytes(filler.ToString());
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        void Write(string text) => pdf.Write(Encoding.ASCII.GetBytes(text));
        Write("%PDF-1.7\n");
        offsets.Add(pdf.Position);
        Write("1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
        offsets.Add(pdf.Position);
        Write("2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
        offsets.Add(pdf.Position);
        Write("3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n");
        offsets.Add(pdf.Position);
        Write($"4 0 obj << /Length {content.Length} >> stream\n");
        pdf.Write(content);
        Write("\nendstream endobj\n");
        offsets.Add(pdf.Position);
        Write("5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
        var xref = pdf.Position;
        Write("xref\n0 6\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:D10} 00000 n \n");
        }

        Write($"trailer << /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    private static void Print(string name, List<double> rates) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-52} {Measure.Median(rates),10:0.0}   [{string.Join(", ", rates.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}]"));
}
