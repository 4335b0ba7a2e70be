using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>An agency a hub session signed the citizen in to, as the citizen portal lists it.</summary>
public sealed record SessionAgency(string ClientId, string DisplayName, DateTimeOffset FirstAt, DateTimeOffset LastAt);

/// <summary>
/// Which clients each hub session has signed in to (oidc.session_clients): recorded when the authorization endpoint
/// answers, read by the logout queue and by the citizen portal. One upsert per authorization, so two nodes answering
/// the same session at once both succeed.
/// </summary>
public sealed class SessionClients(HubDbContext db, IOpenIddictApplicationManager applications, TimeProvider time)
{
    public async Task RecordAsync(Guid sessionId, string clientId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO oidc.session_clients ("SessionId", "ClientId", "FirstAt", "LastAt") VALUES ({sessionId}, {clientId}, {now}, {now})
            ON CONFLICT ("SessionId", "ClientId") DO UPDATE SET "LastAt" = EXCLUDED."LastAt"
            """, ct);
    }

    /// <summary>The agencies of each session, by the names citizens see, first signed in to first.</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<SessionAgency>>> OfSessionsAsync(IReadOnlyCollection<Guid> sessionIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var rows = await db.SessionClients.AsNoTracking().Where(c => sessionIds.Contains(c.SessionId))
            .OrderBy(c => c.FirstAt).ToListAsync(ct);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var clientId in rows.Select(r => r.ClientId).Distinct(StringComparer.Ordinal))
        {
            // A client removed since is still named by its id, so the citizen sees that something was there.
            names[clientId] = await applications.FindByClientIdAsync(clientId, ct) is { } application
                ? await applications.GetDisplayNameAsync(application, ct) ?? clientId
                : clientId;
        }

        return rows.GroupBy(r => r.SessionId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<SessionAgency>)[.. g.Select(r => new SessionAgency(r.ClientId, names[r.ClientId], r.FirstAt, r.LastAt))]);
    }
}
