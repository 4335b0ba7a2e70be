using System.Diagnostics;

namespace IdentityHub.Benchmarks;

internal static class Measure
{
    /// <summary>Runs <paramref name="operation"/> from <paramref name="workers"/> concurrent loops for the given time; returns operations per second.</summary>
    public static async Task<double> RateAsync(int workers, TimeSpan duration, Func<int, Task> operation)
    {
        long count = 0;
        var stopwatch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var i = w;
            while (stopwatch.Elapsed < duration)
            {
                await operation(i);
                i += workers;
                Interlocked.Increment(ref count);
            }
        }));
        await Task.WhenAll(tasks);
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
