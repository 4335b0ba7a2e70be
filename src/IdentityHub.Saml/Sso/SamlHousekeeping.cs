using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Saml.Sso;

/// <summary>
/// Deletes AuthnRequests past their time (saml.requests, Saml:RequestLifetime) and logouts past theirs (saml.logouts, Saml:LogoutLifetime; their parties go with them). The replay cache does not need them longer:
/// a request whose IssueInstant is older than Saml:ClockSkew is refused anyway, and the lifetime is longer than the skew.
/// Every node runs it; the statement is idempotent.
/// </summary>
internal sealed partial class SamlHousekeeping(IServiceScopeFactory scopes, TimeProvider time, ILogger<SamlHousekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = time.GetUtcNow();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.SamlRequests.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct)
            + await db.SamlLogouts.Where(l => l.ExpiresAt <= now).ExecuteDeleteAsync(ct);
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
            // The node is stopping.
        }
    }

    [LoggerMessage(EventId = 7610, Level = LogLevel.Information, Message = "SAML housekeeping deleted {Count} expired AuthnRequests.")]
    private static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 7611, Level = LogLevel.Warning, Message = "SAML housekeeping failed; it runs again in five minutes.")]
    private static partial void Failed(ILogger logger, Exception exception);
}
