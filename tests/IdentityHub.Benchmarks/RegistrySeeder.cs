using System.Diagnostics;
using IdentityHub.Core.Identity;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Hsm;
using Npgsql;
using NpgsqlTypes;

namespace IdentityHub.Benchmarks;

/// <summary>A sample of the seeded persons, kept to look them up later.</summary>
internal sealed record SeededPerson(Guid Id, string NationalId, string Surname, string GivenNames, DateOnly DateOfBirth);

/// <summary>Fills the registry with COPY (binary): a million persons in seconds, and eIDs with real wrapped HSM keys.</summary>
internal static class RegistrySeeder
{
    private static readonly string[] Surnames =
    [
        "Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Männik", "Ševtšenko", "Ivanov", "Novak",
        "Kowalski", "Nowak", "Müller", "Schmidt", "García", "Fernández", "Rossi", "Bianchi", "Dubois", "Lefèvre", "Jansen", "De Vries",
        "Nielsen", "Hansen", "Johansson", "Virtanen", "Korhonen", "Öström", "Ņikolajeva", "Brzęczyszczykiewicz", "O'Brien", "Papadopoulos",
    ];

    private static readonly string[] GivenNames =
    [
        "Mari", "Anna", "Liis", "Kadri", "Jaan", "Peeter", "Andres", "Žofia", "Łukasz", "Jürgen", "Chloé", "José", "Søren", "Ærin",
        "Mari-Liis", "Karl Erik", "Ingrid", "Olga", "Sven", "Aino", "Mikko", "Eleni", "Giulia", "Pierre", "Matteo", "Emma", "Noah",
    ];

    /// <summary>Seeds <paramref name="count"/> persons; returns every 100th as a sample and how long it took.</summary>
    public static async Task<(List<SeededPerson> Sample, List<Guid> FirstIds, TimeSpan Took)> SeedPersonsAsync(NpgsqlDataSource dataSource, int count, int keepIds)
    {
        var started = Stopwatch.StartNew();
        var random = new Random(20261124);
        var used = new HashSet<string>(count);
        var sample = new List<SeededPerson>(count / 100);
        var firstIds = new List<Guid>(keepIds);
        var now = DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY registry.persons (\"Id\", \"NationalId\", \"GivenNames\", \"Surname\", \"SearchName\", \"DateOfBirth\", \"PlaceOfBirth\", \"Nationality\", \"Sex\", \"Version\", \"CreatedAt\", \"UpdatedAt\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                string nationalId;
                do
                {
                    nationalId = NationalId.NewId().Value;
                }
                while (!used.Add(nationalId));

                // A suffix keeps names + birth date from repeating too often, as in a real population.
                var surname = $"{Surnames[random.Next(Surnames.Length)]}-{Suffix(random)}";
                var given = GivenNames[random.Next(GivenNames.Length)];
                var birth = new DateOnly(1930, 1, 1).AddDays(random.Next(78 * 365));
                var id = Guid.CreateVersion7();
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(nationalId, NpgsqlDbType.Char);
                await writer.WriteAsync(given, NpgsqlDbType.Varchar);
                await writer.WriteAsync(surname, NpgsqlDbType.Varchar);
                await writer.WriteAsync(SearchNames.Fold(surname, given), NpgsqlDbType.Varchar);
                await writer.WriteAsync(birth, NpgsqlDbType.Date);
                await writer.WriteAsync("Tallinn", NpgsqlDbType.Varchar);
                await writer.WriteAsync("EST", NpgsqlDbType.Varchar);
                await writer.WriteAsync(i % 2 == 0 ? "F" : "M", NpgsqlDbType.Varchar);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                if (i % 100 == 0)
                {
                    sample.Add(new SeededPerson(id, nationalId, surname, given, birth));
                }

                if (firstIds.Count < keepIds)
                {
                    firstIds.Add(id);
                }
            }

            await writer.CompleteAsync();
        }

        await AnalyzeAsync("registry.persons");

        return (sample, firstIds, started.Elapsed);
    }

    /// <summary>
    /// One eID with two real citizen keys (generated and wrapped in the HSM) for each person given. No certificates:
    /// the unwrap + sign measure needs only the stored blobs; issuance with certificates is measured through the API.
    /// </summary>
    public static async Task<(long MinKeyId, long MaxKeyId, TimeSpan GenerateTook, TimeSpan CopyTook)> SeedKeysAsync(
        NpgsqlDataSource dataSource, WrappedKeyVault vault, IReadOnlyList<Guid> personIds, int workers)
    {
        var generate = Stopwatch.StartNew();
        var keys = new WrappedKey[personIds.Count * 2];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() =>
        {
            for (var i = Interlocked.Increment(ref next); i < keys.Length; i = Interlocked.Increment(ref next))
            {
                keys[i] = vault.Generate(Core.Keys.KeyAlgorithm.EcP256);
            }
        })));
        var generateTook = generate.Elapsed;

        var copy = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var eidIds = personIds.Select(_ => Guid.CreateVersion7()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var eids = await connection.BeginBinaryImportAsync(
            "COPY registry.eids (\"Id\", \"PersonId\", \"DocumentNumber\", \"Status\", \"IssuedAt\", \"ExpiresAt\", \"IssuedBy\", \"ServicePoint\", \"ActivationFailedAttempts\", \"StatusChangedAt\", \"StatusChangedBy\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < personIds.Count; i++)
            {
                await eids.StartRowAsync();
                await eids.WriteAsync(eidIds[i], NpgsqlDbType.Uuid);
                await eids.WriteAsync(personIds[i], NpgsqlDbType.Uuid);
                await eids.WriteAsync($"BX{i:D9}", NpgsqlDbType.Varchar);
                await eids.WriteAsync(0, NpgsqlDbType.Integer);
                await eids.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await eids.WriteAsync(now.AddYears(5), NpgsqlDbType.TimestampTz);
                await eids.WriteAsync("bench", NpgsqlDbType.Varchar);
                await eids.WriteAsync("BENCH", NpgsqlDbType.Varchar);
                await eids.WriteAsync(0, NpgsqlDbType.Integer);
                await eids.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await eids.WriteAsync("bench", NpgsqlDbType.Varchar);
            }

            await eids.CompleteAsync();
        }

        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY registry.eid_keys (\"EidId\", \"Purpose\", \"Algorithm\", \"WrappedPrivateKey\", \"SubjectPublicKeyInfo\", \"CertificateIssuer\", \"CertificateSerial\", \"CreatedAt\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < keys.Length; i++)
            {
                await rows.StartRowAsync();
                await rows.WriteAsync(eidIds[i / 2], NpgsqlDbType.Uuid);
                await rows.WriteAsync(i % 2, NpgsqlDbType.Integer);
                await rows.WriteAsync("P-256", NpgsqlDbType.Varchar);
                await rows.WriteAsync(keys[i].Blob, NpgsqlDbType.Bytea);
                await rows.WriteAsync(keys[i].SubjectPublicKeyInfo, NpgsqlDbType.Bytea);
                await rows.WriteAsync("bench-none", NpgsqlDbType.Varchar);
                await rows.WriteAsync(i.ToString("x", System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Varchar);
                await rows.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await rows.CompleteAsync();
        }

        await AnalyzeAsync("registry.eid_keys");
        await using var range = new NpgsqlCommand("SELECT min(\"Id\"), max(\"Id\") FROM registry.eid_keys WHERE \"CertificateIssuer\" = 'bench-none'", connection);
        await using var reader = await range.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), generateTook, copy.Elapsed);
    }

    private static string Suffix(Random random)
    {
        Span<char> letters = stackalloc char[4];
        for (var i = 0; i < letters.Length; i++)
        {
            letters[i] = (char)('a' + random.Next(26));
        }

        return new string(letters);
    }

    /// <summary>
    /// Fresh statistics after a bulk load. Only a table's owner may ANALYZE it (the bench hubs run as the app role), so
    /// this uses the owner's connection that `./hub bench` passes in HUB_BENCH_OWNER_CONNECTION.
    /// </summary>
    private static async Task AnalyzeAsync(string table)
    {
        var owner = Environment.GetEnvironmentVariable("HUB_BENCH_OWNER_CONNECTION")
            ?? throw new InvalidOperationException("HUB_BENCH_OWNER_CONNECTION is not set: run the benchmarks with ./hub bench.");
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand($"ANALYZE {table}", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
