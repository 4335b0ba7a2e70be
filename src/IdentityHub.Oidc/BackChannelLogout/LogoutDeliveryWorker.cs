using IdentityHub.Authentication.Sessions;
using IdentityHub.Data.Housekeeping;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>
/// Every node runs one: it delivers due logout tokens (<see cref="LogoutDeliveries"/>) when its own node queued some
/// and at every poll, and ends lapsed citizen sessions that signed in to agencies (OpenID Connect or SAML,
/// <see cref="HubSessions.EndLapsedWithAgenciesAsync"/>), so that an idle or expired session reaches the agencies too,
/// not only when someone next presents its cookie.
/// </summary>
internal sealed class LogoutDeliveryWorker(IServiceScopeFactory scopes, LogoutSignal signal, IOptionsMonitor<OidcOptions> options, TimeProvider time, ILogger<LogoutDeliveryWorker> log)
    : QueueWorker(signal, time)
{
    protected override TimeSpan PollInterval => options.CurrentValue.BackChannelLogout.PollInterval;

    protected override async Task RoundAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<HubSessions>().EndLapsedWithAgenciesAsync(100, ct);
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
}
