using IdentityHub.Data;
using IdentityHub.Data.Housekeeping;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Saml.Sso;

/// <summary>
/// Deletes AuthnRequests past their time (saml.requests, Saml:RequestLifetime) and logouts past theirs (saml.logouts,
/// Saml:LogoutLifetime; their parties go with them). The replay cache does not need them longer: a request whose
/// IssueInstant is older than Saml:ClockSkew is refused anyway, and the lifetime is longer than the skew.
/// </summary>
internal sealed class SamlHousekeeping(IServiceScopeFactory scopes, TimeProvider time, ILogger<SamlHousekeeping> logger)
    : PeriodicHousekeeping(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override string What => "expired SAML requests and logouts";

    public override async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = Time.GetUtcNow();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.SamlRequests.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct)
            + await db.SamlLogouts.Where(l => l.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}
