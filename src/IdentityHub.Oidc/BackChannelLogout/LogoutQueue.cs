using System.Text.Json;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using IdentityHub.Data.Housekeeping;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>
/// When hub sessions end, queues a logout token for every client each session signed in to that registered a
/// back-channel logout URI (Back-Channel Logout 1.0 §2.7: the OP sends one to every RP with a session at it). Runs in
/// the transaction that ends the sessions (<see cref="ISessionEndedHandler"/>), so a session is never ended without
/// its deliveries queued; one row per (session, client), so reporting an end twice queues nothing more. A client
/// without a back-channel logout URI is skipped. The URI is the one registered now, copied into the row: the worker
/// sends only there.
/// </summary>
internal sealed class LogoutQueue(HubDbContext db, IOpenIddictApplicationManager applications, TimeProvider time, LogoutSignal signal) : ISessionEndedHandler
{
    public async Task OnEndedAsync(IReadOnlyList<Guid> sessionIds, string reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var clients = await db.SessionClients.AsNoTracking().Where(c => sessionIds.Contains(c.SessionId))
            .Select(c => new { c.SessionId, c.ClientId }).ToListAsync(ct);
        if (clients.Count == 0)
        {
            return;
        }

        var uris = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var clientId in clients.Select(c => c.ClientId).Distinct(StringComparer.Ordinal))
        {
            uris[clientId] = await LogoutUriAsync(applications, clientId, ct);
        }

        var now = time.GetUtcNow();
        var queued = 0;
        foreach (var c in clients.Where(c => uris[c.ClientId] is not null))
        {
            queued += await db.Database.ExecuteSqlAsync($"""
                INSERT INTO oidc.logout_deliveries ("Id", "SessionId", "ClientId", "LogoutUri", "CreatedAt", "Attempts", "NextAttemptAt")
                VALUES ({Guid.CreateVersion7()}, {c.SessionId}, {c.ClientId}, {uris[c.ClientId]}, {now}, 0, {now})
                ON CONFLICT ("SessionId", "ClientId") DO NOTHING
                """, ct);
        }

        if (queued > 0)
        {
            signal.Wake();
        }
    }

    /// <summary>The client's registered back-channel logout URI, or null (unknown client, or none registered).</summary>
    internal static async Task<string?> LogoutUriAsync(IOpenIddictApplicationManager applications, string clientId, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return null;
        }

        var properties = await applications.GetPropertiesAsync(application, ct);
        return properties.TryGetValue(OidcClients.BackChannelLogoutUriProperty, out var uri) && uri.ValueKind == JsonValueKind.String
            ? uri.GetString()
            : null;
    }
}

/// <summary>Wakes this node's delivery worker when this node queued something; other nodes find it when they poll.</summary>
internal sealed class LogoutSignal : WakeSignal;
