using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>
/// Every node runs one: it delivers due logout tokens (<see cref="LogoutDeliveries"/>) when its own node queued some
/// and at every poll, and ends lapsed citizen sessions that signed in to agencies, so that an idle or expired session
/// reaches the agencies too, not only when someone next presents its cookie.
/// </summary>
internal sealed class LogoutDeliveryWorker(IServiceScopeFactory scopes, LogoutSignal signal, IOptionsMonitor<OidcOptions> options, TimeProvider time, ILogger<LogoutDeliveryWorker> log)
    : BackgroundService
{
    /// <summary>A signal comes from inside the transaction that queued: give it a moment to commit before claiming.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await signal.WaitAsync(options.CurrentValue.BackChannelLogout.PollInterval, stoppingToken))
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

    private async Task RoundAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await EndLapsedAsync(scope.ServiceProvider, ct);
            var deliveries = scope.ServiceProvider.GetRequiredService<LogoutDeliveries>();
            var batch = options.CurrentValue.BackChannelLogout.BatchSize;
            // A full batch may mean more are due: go on at once.
            int attempted;
            do
            {
                attempted = await deliveries.RunOnceAsync(ct);
            }
            while (attempted >= batch);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may be away for a moment; the rows wait, and the next round tries again.
            LogoutLog.RoundFailed(log, ex);
        }
    }

    /// <summary>
    /// Ends citizen sessions past their idle or absolute timeout that have agencies to tell; HubSessions ends a lapsed
    /// session when it is checked, which queues the deliveries in the same transaction.
    /// </summary>
    private async Task EndLapsedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<HubDbContext>();
        var sessions = services.GetRequiredService<HubSessions>();
        var now = time.GetUtcNow();
        var idleSince = now - services.GetRequiredService<IOptions<SessionOptions>>().Value.CitizenIdleTimeout;
        var lapsed = await db.Sessions.AsNoTracking()
            .Where(s => s.EndedAt == null && s.Audience == SessionAudiences.Citizen && (s.ExpiresAt <= now || s.LastSeenAt < idleSince)
                && db.SessionClients.Any(c => c.SessionId == s.Id))
            .OrderBy(s => s.LastSeenAt).Select(s => s.Id).Take(100).ToListAsync(ct);
        foreach (var id in lapsed)
        {
            await sessions.ValidateAsync(id, SessionAudiences.Citizen, ct);
        }
    }
}
