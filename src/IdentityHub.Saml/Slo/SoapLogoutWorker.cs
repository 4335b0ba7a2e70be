using IdentityHub.Data.Housekeeping;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Slo;

/// <summary>
/// Every node runs one: it sends due SOAP logouts (<see cref="SoapLogoutDeliveries"/>) when its own node queued some and
/// at every Saml:BackChannelLogout:PollInterval. Lapsed sessions are ended (and so queued) by the OpenID Connect
/// delivery worker's sweep (HubSessions.EndLapsedWithAgenciesAsync), which covers SAML sessions too.
/// </summary>
internal sealed class SoapLogoutWorker(IServiceScopeFactory scopes, SoapLogoutSignal signal, IOptions<SamlOptions> options, TimeProvider time, ILogger<SoapLogoutWorker> log)
    : QueueWorker(signal, time)
{
    protected override TimeSpan PollInterval => options.Value.BackChannelLogout.PollInterval;

    protected override async Task RoundAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var deliveries = scope.ServiceProvider.GetRequiredService<SoapLogoutDeliveries>();
            // A full batch may mean more are due: go on at once.
            while (await deliveries.RunOnceAsync(ct) >= options.Value.BackChannelLogout.BatchSize)
            {
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may be away for a moment; the rows wait, and the next round tries again.
            SoapLogoutLog.RoundFailed(log, ex);
        }
    }
}
