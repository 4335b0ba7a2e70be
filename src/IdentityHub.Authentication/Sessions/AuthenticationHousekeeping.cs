using IdentityHub.Data;
using IdentityHub.Data.Housekeeping;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// Every ten minutes: deletes passkey challenges nobody answered (an hour after they expired) and sessions that ended
/// or expired more than <see cref="KeepEndedSessions"/> ago (the audit log keeps their sign-ins).
/// </summary>
internal sealed class AuthenticationHousekeeping(IServiceScopeFactory scopes, TimeProvider time, ILogger<AuthenticationHousekeeping> logger)
    : PeriodicHousekeeping(time, logger)
{
    private static readonly TimeSpan KeepEndedSessions = TimeSpan.FromDays(30);

    protected override TimeSpan Interval => TimeSpan.FromMinutes(10);

    protected override string What => "passkey challenges and sessions past their time";

    public override async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var challenges = await scope.ServiceProvider.GetRequiredService<Passkeys.WebAuthnChallenges>().PurgeExpiredAsync(ct);
        var cutoff = Time.GetUtcNow() - KeepEndedSessions;
        return challenges + await scope.ServiceProvider.GetRequiredService<HubDbContext>().Sessions
            .Where(s => (s.EndedAt != null && s.EndedAt < cutoff) || s.ExpiresAt < cutoff)
            .ExecuteDeleteAsync(ct);
    }
}
