using System.Diagnostics;
using System.Globalization;

namespace IdentityHub.Benchmarks;

/// <summary>Latency of single operations: p50 and p99 over many, from a few concurrent workers.</summary>
internal static class Latency
{
    public static async Task<(double P50, double P99, int Count)> MeasureAsync(int workers, int operationsPerWorker, Func<int, Task> operation)
    {
        var samples = new double[workers * operationsPerWorker];
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < operationsPerWorker; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await operation((w * operationsPerWorker) + i);
                samples[(w * operationsPerWorker) + i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        Array.Sort(samples);
        return (Percentile(samples, 0.50), Percentile(samples, 0.99), samples.Length);
    }

    public static void Print(string name, (double P50, double P99, int Count) result, double targetP99) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-60} p50 {result.P50,7:0.00} ms   p99 {result.P99,7:0.00} ms   ({result.Count} ops; target p99 < {targetP99:0} ms: {(result.P99 < targetP99 ? "met" : "NOT met")})"));

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
