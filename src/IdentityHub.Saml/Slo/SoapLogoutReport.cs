using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Saml.Slo;

/// <summary>
/// The SPs of ended sessions told over SOAP (saml.backchannel_logouts) and how far each got: confirmed when every
/// session's request was answered Success, failed once an attempt failed (it may still be retried) or the SP refused,
/// pending while no attempt has come back. SPs the browser tells are in the logout's own parties, not here.
/// </summary>
internal sealed class SoapLogoutReport(HubDbContext db) : ISessionLogoutReport
{
    public async Task<IReadOnlyList<AgencyLogout>> OfAsync(IReadOnlyCollection<Guid> sessionIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var rows = await db.SamlBackChannelLogouts.AsNoTracking().Where(d => sessionIds.Contains(d.SessionId)).OrderBy(d => d.CreatedAt)
            .Select(d => new { d.SpEntityId, d.DeliveredAt, d.GaveUpAt, d.LastStatus, d.LastError }).ToListAsync(ct);
        var entityIds = rows.Select(r => r.SpEntityId).Distinct(StringComparer.Ordinal).ToList();
        var names = await db.SamlServiceProviders.AsNoTracking().Where(s => entityIds.Contains(s.EntityId))
            .ToDictionaryAsync(s => s.EntityId, s => s.DisplayName, StringComparer.Ordinal, ct);
        return entityIds.Select(entityId =>
        {
            var mine = rows.Where(r => r.SpEntityId == entityId).ToList();
            var state = mine.All(r => r.DeliveredAt is not null) ? AgencyLogoutState.Confirmed
                : mine.Any(r => r.DeliveredAt is null && (r.GaveUpAt is not null || r.LastStatus is not null || r.LastError is not null)) ? AgencyLogoutState.Failed
                : AgencyLogoutState.Pending;
            return new AgencyLogout("saml", entityId, names.GetValueOrDefault(entityId) ?? entityId, state);
        }).ToList();
    }
}
