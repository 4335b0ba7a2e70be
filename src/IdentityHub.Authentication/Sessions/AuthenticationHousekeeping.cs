using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// Every ten minutes: deletes passkey challenges nobody answered (an hour after they expired) and sessions that ended
/// or expired more than <see cref="KeepEndedSessions"/> ago (the audit log keeps their sign-ins). Every node runs it;
/// the deletes are idempotent.
/// </summary>
internal sealed class AuthenticationHousekeeping(IServiceScopeFactory scopes, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan KeepEndedSessions = TimeSpan.FromDays(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PurgeAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Passkeys.WebAuthnChallenges>().PurgeExpiredAsync(ct);
        var cutoff = time.GetUtcNow() - KeepEndedSessions;
        await scope.ServiceProvider.GetRequiredService<HubDbContext>().Sessions
            .Where(s => (s.EndedAt != null && s.EndedAt < cutoff) || s.ExpiresAt < cutoff)
            .ExecuteDeleteAsync(ct);
    }
}
