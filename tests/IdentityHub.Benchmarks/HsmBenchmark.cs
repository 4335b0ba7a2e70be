using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm;

namespace IdentityHub.Benchmarks;

/// <summary>
/// A citizen key's signature (unwrap the blob, sign, destroy) beside a signature with a token key of the same type,
/// in the same run: the price of keeping millions of keys out of the token.
/// </summary>
internal static class HsmBenchmark
{
    public static async Task RunAsync(BenchmarkSettings settings)
    {
        var options = new HsmOptions
        {
            LibraryPath = Require("Hsm__LibraryPath"),
            TokenLabel = Require("Hsm__TokenLabel"),
            Pin = Require("Hsm__Pin"),
        };
        TrustedWrappingKey.Ensure(options, Require("HUB_TEST_HSM_SO_PIN"));
        using var store = HsmKeyStore.Open(options);
        var algorithm = KeyAlgorithms.Parse(settings.Key ?? "P-256");
        var tokenKey = store.Generate("bench-token-key", algorithm);
        var vault = new WrappedKeyVault(store);
        var citizens = Enumerable.Range(0, 1000).Select(_ => vault.Generate(algorithm)).ToArray();
        var digest = SHA256.HashData("benchmark"u8);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IdentityHub HSM benchmark: {algorithm.ToConfigName()}, {settings.Rounds} rounds x {settings.RoundLength.TotalSeconds:0} s, {Environment.ProcessorCount} cores, {settings.Clients} threads, 1,000 wrapped keys"));
        var single = new List<double>();
        var raw = new List<double>();
        var wrapped = new List<double>();
        var latencies = new List<double>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            single.Add(await Measure.RateAsync(1, settings.RoundLength, i => { vault.SignDigest(citizens[i % citizens.Length], digest, HashAlgorithmName.SHA256); return Task.CompletedTask; }));
            raw.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, _ => { tokenKey.SignDigest(digest, HashAlgorithmName.SHA256); return Task.CompletedTask; }));
            wrapped.Add(await Measure.RateAsync(settings.Clients, settings.RoundLength, i =>
            {
                var started = Stopwatch.GetTimestamp();
                vault.SignDigest(citizens[Random.Shared.Next(citizens.Length)], digest, HashAlgorithmName.SHA256);
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                return Task.CompletedTask;
            }));
        }

        latencies.Sort();
        Console.WriteLine();
        Console.WriteLine($"{"measure",-44} {"median/s",10}   rounds");
        Print("sign with a token key", raw);
        Print("unwrap + sign + destroy, random citizen key", wrapped);
        Print("unwrap + sign + destroy, one thread", single);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"  ratio wrapped / token key",-44} {Measure.Median(wrapped) / Measure.Median(raw),10:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"  latency wrapped p50 / p99 (ms)",-44} {latencies[latencies.Count / 2],10:0.000} / {latencies[(int)(latencies.Count * 0.99)]:0.000}"));
    }

    private static void Print(string name, List<double> rates) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44} {Measure.Median(rates),10:0}   [{string.Join(", ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))}]"));

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set: run ./hub bench hsm.");
}
