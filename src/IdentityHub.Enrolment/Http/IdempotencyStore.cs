using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Http;

internal enum IdempotencyState
{
    /// <summary>First time: the caller runs the request and completes or abandons the key.</summary>
    Started,

    /// <summary>Seen and completed: answer with the stored response.</summary>
    Replay,

    /// <summary>The same key with another request: refused (draft-ietf-httpapi-idempotency-key-header §2.7: 422).</summary>
    Mismatch,

    /// <summary>The first request with this key is still running: the client retries later (409).</summary>
    InProgress,
}

internal sealed record IdempotencyLookup(IdempotencyState State, int StatusCode = 0, string? Body = null, string? Location = null);

/// <summary>
/// Idempotency keys of the enrolment API, scoped per API credential. The key is claimed (committed) before the work
/// runs, so a concurrent retry sees "in progress" instead of acting twice; a claim left by a crashed node is taken over
/// after <see cref="StaleAfter"/>, which is safe because the enrolment steps themselves refuse to act twice (an issued
/// enrolment cannot be issued again).
/// </summary>
internal sealed class IdempotencyStore(HubDbContext db, TimeProvider time)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    public async Task<IdempotencyLookup> BeginAsync(Guid credentialId, string key, byte[] requestHash, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO registry.idempotency_keys ("CredentialId", "Key", "RequestHash", "StatusCode", "ResponseBody", "CreatedAt")
            VALUES ({credentialId}, {key}, {requestHash}, 0, '', {now}) ON CONFLICT DO NOTHING
            """, ct);
        if (inserted == 1)
        {
            return new IdempotencyLookup(IdempotencyState.Started);
        }

        var existing = await db.IdempotencyKeys.AsNoTracking().SingleAsync(k => k.CredentialId == credentialId && k.Key == key, ct);
        if (!existing.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            return new IdempotencyLookup(IdempotencyState.Mismatch);
        }

        if (existing.StatusCode != 0)
        {
            return new IdempotencyLookup(IdempotencyState.Replay, existing.StatusCode, existing.ResponseBody, existing.Location);
        }

        if (existing.CreatedAt > now - StaleAfter)
        {
            return new IdempotencyLookup(IdempotencyState.InProgress);
        }

        var claimed = await db.Database.ExecuteSqlAsync($"""
            UPDATE registry.idempotency_keys SET "CreatedAt" = {now}
            WHERE "CredentialId" = {credentialId} AND "Key" = {key} AND "StatusCode" = 0 AND "CreatedAt" = {existing.CreatedAt}
            """, ct);
        return new IdempotencyLookup(claimed == 1 ? IdempotencyState.Started : IdempotencyState.InProgress);
    }

    public Task CompleteAsync(Guid credentialId, string key, int statusCode, string body, string? location, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE registry.idempotency_keys SET "StatusCode" = {statusCode}, "ResponseBody" = {body}, "Location" = {location}
            WHERE "CredentialId" = {credentialId} AND "Key" = {key}
            """, ct);

    /// <summary>A request that failed changed nothing; its key is released so the corrected request can use it.</summary>
    public Task AbandonAsync(Guid credentialId, string key, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            DELETE FROM registry.idempotency_keys WHERE "CredentialId" = {credentialId} AND "Key" = {key} AND "StatusCode" = 0
            """, ct);
}
