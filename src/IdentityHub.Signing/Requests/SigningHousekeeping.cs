using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Signing.Requests;

/// <summary>
/// Deletes documents past their time (docs/signing.md "What is stored"): unsigned uploads after
/// Signing:PendingRequestLifetime, signed results after Signing:SignedDocumentLifetime (or KeptDocumentLifetime when the
/// citizen asked). The request rows stay as the citizen's history: names, sizes, SHA-256, times, agency. Every node
/// runs it; the statements are idempotent, so two nodes doing it at once do no harm.
/// </summary>
internal sealed partial class SigningHousekeeping(IServiceScopeFactory scopes, TimeProvider time, ILogger<SigningHousekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var now = time.GetUtcNow();
        var expired = db.SigningRequests.Where(r => r.ExpiresAt <= now).Select(r => r.Id);
        var purged = await db.SigningDocuments.Where(d => expired.Contains(d.RequestId) && (d.Content != null || d.SignedContent != null))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Content, (byte[]?)null).SetProperty(d => d.SignedContent, (byte[]?)null), ct);
        await db.SigningRequests.Where(r => r.ExpiresAt <= now && r.State == RequestStates.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RequestStates.Cancelled).SetProperty(r => r.FailureCode, "expired"), ct);
        return purged;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    if (await PurgeAsync(stoppingToken) is > 0 and var purged)
                    {
                        Purged(logger, purged);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Failed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The node is stopping (or its host was disposed without stopping): nothing is left half done.
        }
    }

    [LoggerMessage(EventId = 7510, Level = LogLevel.Information, Message = "Signing housekeeping deleted the contents of {Count} documents past their time.")]
    private static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 7511, Level = LogLevel.Warning, Message = "Signing housekeeping failed; it runs again in five minutes.")]
    private static partial void Failed(ILogger logger, Exception exception);
}
