using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Data.Housekeeping;

/// <summary>
/// A clean-up every node runs: at start, then every <see cref="Interval"/>. Its statements must be idempotent, so that
/// two nodes running it at once do no harm. A failure is logged and the next tick tries again; stopping the node ends
/// it between two runs or cancels the one under way (each run is one statement or a few, nothing is left half done).
/// </summary>
public abstract partial class PeriodicHousekeeping(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The clock the timer runs on, for the runs' own cut-offs.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>Time between two runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the log calls what was cleaned up ("expired AuthnRequests", …).</summary>
    protected abstract string What { get; }

    /// <summary>One run; the result is how many rows it deleted or cleared.</summary>
    public abstract Task<int> PurgeAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        try
        {
            do
            {
                try
                {
                    if (await PurgeAsync(stoppingToken) is > 0 and var purged)
                    {
                        Purged(logger, purged, What);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Failed(logger, ex, What, Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The node is stopping (or its host was disposed without stopping).
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Housekeeping cleaned up {Count} {What}.")]
    private static partial void Purged(ILogger logger, int count, string what);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Housekeeping of {What} failed; it runs again in {Interval}.")]
    private static partial void Failed(ILogger logger, Exception exception, string what, TimeSpan interval);
}
