using System.Security.Claims;
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
public sealed class HubSessions(HubDbContext db, TimeProvider time, AssurancePolicy policy, IOptions<SessionOptions> options, IEnumerable<ISessionEndedHandler> endedHandlers)
{
    private readonly ISessionEndedHandler[] _endedHandlers = [.. endedHandlers];

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
            Roles = await RolesOfAsync(account, ct),
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        db.Entry(session).State = EntityState.Detached;
        return session;
    }

    /// <summary>The open session, or null when it ended, was idle too long or reached its absolute end (it is then ended).</summary>
    public async Task<SessionRecord?> ValidateAsync(Guid sessionId, string audience, CancellationToken ct) =>
        await OpenAsync(await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct), audience, ct);

    /// <summary>
    /// The open session a cookie's principal names, when the cookie says what its row says — the same account, roles
    /// and level of assurance — and the row's roles are still the account's (one query reads the row and the account's
    /// roles together). Otherwise null and why: a session whose account's roles changed is ended ("roles-changed"); a
    /// cookie that disagrees with its row ("cookie-mismatch") is refused, and so is its session.
    /// </summary>
    public async Task<(SessionRecord? Session, string? Refusal)> ValidateCookieAsync(ClaimsPrincipal principal, string audience, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.SessionIdOf() is not { } sessionId)
        {
            return (null, "no-session");
        }

        var row = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new
            {
                Session = s,
                Roles = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == s.AccountId select r.Name).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        var session = await OpenAsync(row?.Session, audience, ct);
        if (session is null)
        {
            return (null, "ended");
        }

        var rolesNow = string.Join(' ', row!.Roles.Where(r => r is not null).Order(StringComparer.Ordinal));
        if (rolesNow != session.Roles)
        {
            await EndWhereAsync(db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null), "roles-changed", ct);
            return (null, "roles-changed");
        }

        var cookieRoles = string.Join(' ', principal.Identities.SelectMany(i => i.FindAll(i.RoleClaimType)).Select(c => c.Value).Distinct().Order(StringComparer.Ordinal));
        if (principal.AccountIdOf() != session.AccountId || cookieRoles != session.Roles
            || principal.FindFirst(HubClaimTypes.Acr)?.Value != session.Level
            || principal.FindFirst(HubClaimTypes.Audience)?.Value != session.Audience)
        {
            if (principal.AccountIdOf() == session.AccountId)
            {
                await EndWhereAsync(db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null), "cookie-mismatch", ct);
            }

            return (null, "cookie-mismatch");
        }

        return (session, null);
    }

    private async Task<SessionRecord?> OpenAsync(SessionRecord? session, string audience, CancellationToken ct)
    {
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
            await EndWhereAsync(db.Sessions.Where(s => s.Id == session.Id && s.EndedAt == null), reason, ct);
            return null;
        }

        if (now - session.LastSeenAt >= options.Value.TouchInterval)
        {
            await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), ct);
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

    /// <summary>
    /// Ends up to <paramref name="limit"/> citizen sessions past their idle or absolute timeout that signed in to an
    /// agency (an OpenID Connect client or a SAML SP), so that a session nobody presents again still reaches its
    /// agencies (the handlers queue their back-channel logouts); a lapsed session is otherwise ended only when its cookie
    /// is next checked. Returns how many it ended.
    /// </summary>
    public async Task<int> EndLapsedWithAgenciesAsync(int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var idleSince = now - options.Value.CitizenIdleTimeout;
        var lapsed = await db.Sessions.AsNoTracking()
            .Where(s => s.EndedAt == null && s.Audience == SessionAudiences.Citizen && (s.ExpiresAt <= now || s.LastSeenAt < idleSince)
                && (db.SessionClients.Any(c => c.SessionId == s.Id) || db.SamlSessionServiceProviders.Any(p => p.SessionId == s.Id)))
            .OrderBy(s => s.LastSeenAt).Select(s => s.Id).Take(limit).ToListAsync(ct);
        var ended = 0;
        foreach (var id in lapsed)
        {
            ended += await ValidateAsync(id, SessionAudiences.Citizen, ct) is null ? 1 : 0;
        }

        return ended;
    }

    public static IReadOnlyList<AuthenticationRecord> AuthenticationsOf(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return JsonSerializer.Deserialize<List<AuthenticationRecord>>(session.Authentications, Json) ?? [];
    }

    /// <summary>An account's roles as a session records them: sorted (ordinal), space-separated; empty for citizens (they have none).</summary>
    private async Task<string> RolesOfAsync(HubAccount account, CancellationToken ct) =>
        string.Join(' ', (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == account.Id select r.Name!).ToListAsync(ct))
                .Order(StringComparer.Ordinal));

    private async Task<int> EndWhereAsync(IQueryable<SessionRecord> sessions, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_endedHandlers.Length == 0)
        {
            return await sessions.ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason), ct);
        }

        // The handlers' work (back-channel logout deliveries) commits with the end, or neither does.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var ids = await sessions.Select(s => s.Id).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return 0;
        }

        var ended = await db.Sessions.Where(s => ids.Contains(s.Id) && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason), ct);
        if (ended > 0)
        {
            foreach (var handler in _endedHandlers)
            {
                await handler.OnEndedAsync(ids, reason, ct);
            }
        }

        if (own is not null)
        {
            await own.CommitAsync(ct);
        }

        return ended;
    }
}
