using Microsoft.Extensions.Hosting;

namespace IdentityHub.Data.Housekeeping;

/// <summary>
/// Wakes a node's <see cref="QueueWorker"/> when this node queued something; other nodes find it when they poll. Each
/// queue has its own subclass, so that each worker has its own singleton.
/// </summary>
public abstract class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken twice at once: once is enough.
            }
        }
    }

    /// <summary>True when woken, false when the wait ran out.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    public void Dispose()
    {
        _wake.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A worker every node runs for a table of deliveries (back-channel logouts): a round when its own node queued something
/// (woken by its <see cref="WakeSignal"/>) and at every poll. A round must handle its own failures (the rows wait for the
/// next one); stopping the node ends the loop between rounds or cancels the one under way.
/// </summary>
public abstract class QueueWorker(WakeSignal signal, TimeProvider time) : BackgroundService
{
    /// <summary>A signal comes from inside the transaction that queued: give it a moment to commit before claiming.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a node waits for a signal before it looks anyway.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>One round: claim what is due and attempt it.</summary>
    protected abstract Task RoundAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await signal.WaitAsync(PollInterval, stoppingToken))
                {
                    await Task.Delay(Settle, time, stoppingToken);
                }

                await RoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
