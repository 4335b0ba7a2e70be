using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>
/// The OpenID Connect clients of ended sessions and how far their back-channel logout got (oidc.logout_deliveries):
/// confirmed on a 2xx, pending while no attempt has come back, failed once an attempt failed (it may still be retried)
/// or the attempts ran out, unreachable when the client registered no back-channel logout URI (nothing was queued).
/// </summary>
internal sealed class BackChannelLogoutReport(HubDbContext db, IOpenIddictApplicationManager applications) : ISessionLogoutReport
{
    public async Task<IReadOnlyList<AgencyLogout>> OfAsync(IReadOnlyCollection<Guid> sessionIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var clients = await db.SessionClients.AsNoTracking().Where(c => sessionIds.Contains(c.SessionId))
            .OrderBy(c => c.FirstAt).Select(c => c.ClientId).ToListAsync(ct);
        var deliveries = await db.LogoutDeliveries.AsNoTracking().Where(d => sessionIds.Contains(d.SessionId))
            .Select(d => new { d.ClientId, d.DeliveredAt, d.GaveUpAt, d.LastStatus, d.LastError }).ToListAsync(ct);
        var report = new List<AgencyLogout>();
        foreach (var clientId in clients.Distinct(StringComparer.Ordinal))
        {
            var mine = deliveries.Where(d => d.ClientId == clientId).ToList();
            var state = mine.Count == 0 ? AgencyLogoutState.Unreachable
                : mine.All(d => d.DeliveredAt is not null) ? AgencyLogoutState.Confirmed
                : mine.Any(d => d.DeliveredAt is null && (d.GaveUpAt is not null || d.LastStatus is not null || d.LastError is not null)) ? AgencyLogoutState.Failed
                : AgencyLogoutState.Pending;
            var name = await applications.FindByClientIdAsync(clientId, ct) is { } application
                ? await applications.GetDisplayNameAsync(application, ct) ?? clientId
                : clientId;
            report.Add(new AgencyLogout("oidc", clientId, name, state));
        }

        return report;
    }
}
