using System.Text.Json;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// Sessions in PostgreSQL (accounts.sessions). A cookie names its session; every request checks the row, so a
/// session ended anywhere (sign-out, "sign out other sessions", a disabled account, a password change) ends at once on
/// every node. Idle and absolute timeouts are enforced here on the hub's clock.
/// </summary>
public sealed class HubSessions(HubDbContext db, TimeProvider time, AssurancePolicy policy, IOptions<SessionOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SessionRecord> StartAsync(HubAccount account, string audience, IReadOnlyList<AuthenticationRecord> authentications, HttpContext? http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = time.GetUtcNow();
        var userAgent = http?.Request.Headers.UserAgent.ToString() ?? "";
        var session = new SessionRecord
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            Audience = audience,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + options.Value.AbsoluteLifetime(audience),
            IpAddress = http?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = userAgent.Length > 300 ? userAgent[..300] : userAgent,
            Authentications = JsonSerializer.Serialize(authentications, Json),
            Level = policy.LevelOf(authentications).ToUri(),
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        db.Entry(session).State = EntityState.Detached;
        return session;
    }

    /// <summary>The open session, or null when it ended, was idle too long or reached its absolute end (it is then ended).</summary>
    public async Task<SessionRecord?> ValidateAsync(Guid sessionId, string audience, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || session.Audience != audience || session.EndedAt is not null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var reason = now >= session.ExpiresAt ? "expired"
            : now - session.LastSeenAt > options.Value.IdleTimeout(audience) ? "idle"
            : null;
        if (reason is not null)
        {
            await EndWhereAsync(db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null), reason, ct);
            return null;
        }

        if (now - session.LastSeenAt >= options.Value.TouchInterval)
        {
            await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), ct);
            session.LastSeenAt = now;
        }

        return session;
    }

    /// <summary>Sets a session's authentications after a step-up (the earlier ones and the new) and returns it with its new level.</summary>
    public async Task<SessionRecord> ReplaceAuthenticationsAsync(Guid sessionId, IReadOnlyList<AuthenticationRecord> authentications, CancellationToken ct)
    {
        var session = await db.Sessions.FirstAsync(s => s.Id == sessionId, ct);
        session.Authentications = JsonSerializer.Serialize(authentications, Json);
        session.Level = policy.LevelOf(authentications).ToUri();
        session.LastSeenAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        db.Entry(session).State = EntityState.Detached;
        return session;
    }

    public async Task<IReadOnlyList<SessionRecord>> ListOpenAsync(Guid accountId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.AccountId == accountId && s.EndedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.LastSeenAt).ToListAsync(ct);
        return sessions.Where(s => now - s.LastSeenAt <= options.Value.IdleTimeout(s.Audience)).ToList();
    }

    public Task<int> EndAsync(Guid accountId, Guid sessionId, string reason, CancellationToken ct) =>
        EndWhereAsync(db.Sessions.Where(s => s.Id == sessionId && s.AccountId == accountId && s.EndedAt == null), reason, ct);

    public Task<int> EndOthersAsync(Guid accountId, Guid keep, string reason, CancellationToken ct) =>
        EndWhereAsync(db.Sessions.Where(s => s.AccountId == accountId && s.Id != keep && s.EndedAt == null), reason, ct);

    public Task<int> EndAllAsync(Guid accountId, string reason, CancellationToken ct) =>
        EndWhereAsync(db.Sessions.Where(s => s.AccountId == accountId && s.EndedAt == null), reason, ct);

    public static IReadOnlyList<AuthenticationRecord> AuthenticationsOf(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return JsonSerializer.Deserialize<List<AuthenticationRecord>>(session.Authentications, Json) ?? [];
    }

    private Task<int> EndWhereAsync(IQueryable<SessionRecord> sessions, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return sessions.ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason), ct);
    }
}
