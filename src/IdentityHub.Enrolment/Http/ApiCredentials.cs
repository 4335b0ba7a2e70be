using System.Buffers.Text;
using System.Security.Cryptography;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Http;

/// <summary>A credential just issued: the token is shown once and never stored.</summary>
public sealed record IssuedApiCredential(Guid Id, string ServicePoint, string Name, string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// API credentials of counter devices and batch jobs, each bound to one service point. The token is
/// "ihub_{credential id}_{secret}" with a 256-bit random secret; only SHA-256 of the secret is kept (a slow hash adds
/// nothing for a secret of that entropy). Rotation: issue a new credential, switch the device over, revoke the old one;
/// both work in between.
/// </summary>
public sealed class ApiCredentials(HubDbContext db, AuditLog audit, TimeProvider time)
{
    public const string TokenPrefix = "ihub_";

    public async Task<IssuedApiCredential> IssueAsync(string servicePoint, string name, TimeSpan lifetime, string actor, CancellationToken ct)
    {
        if (!await db.ServicePoints.AnyAsync(s => s.Code == servicePoint && s.ClosedAt == null, ct))
        {
            throw new ArgumentException($"Service point '{servicePoint}' does not exist or is closed (hubctl service-points add).", nameof(servicePoint));
        }

        var secret = RandomNumberGenerator.GetBytes(32);
        var now = time.GetUtcNow();
        var record = new ApiCredentialRecord
        {
            Id = Guid.CreateVersion7(now),
            ServicePoint = servicePoint,
            Name = name,
            SecretHash = SHA256.HashData(secret),
            CreatedAt = now,
            CreatedBy = actor,
            ExpiresAt = now + lifetime,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ApiCredentials.Add(record);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("api.credential.issued", actor, record.Id.ToString(),
            new Dictionary<string, string> { ["servicePoint"] = servicePoint, ["name"] = name, ["expiresAt"] = record.ExpiresAt.ToString("O") }), ct);
        await tx.CommitAsync(ct);
        var token = $"{TokenPrefix}{record.Id:N}_{Base64Url.EncodeToString(secret)}";
        CryptographicOperations.ZeroMemory(secret);
        return new IssuedApiCredential(record.Id, servicePoint, name, token, record.ExpiresAt);
    }

    public async Task<bool> RevokeAsync(Guid id, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var record = await db.ApiCredentials.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (record is null || record.RevokedAt is not null)
        {
            return false;
        }

        record.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("api.credential.revoked", actor, id.ToString(), new Dictionary<string, string> { ["servicePoint"] = record.ServicePoint }), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public Task<List<ApiCredentialRecord>> ListAsync(CancellationToken ct) =>
        db.ApiCredentials.AsNoTracking().OrderBy(c => c.ServicePoint).ThenBy(c => c.CreatedAt).ToListAsync(ct);

    /// <summary>The credential a token names, if the token is genuine, unexpired and not revoked.</summary>
    public async Task<ApiCredentialRecord?> ValidateAsync(string token, CancellationToken ct)
    {
        if (!TryParse(token, out var id, out var secret))
        {
            return null;
        }

        var record = await db.ApiCredentials.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        var presented = SHA256.HashData(secret);
        CryptographicOperations.ZeroMemory(secret);
        if (record is null || !CryptographicOperations.FixedTimeEquals(presented, record.SecretHash))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (record.RevokedAt is not null || record.ExpiresAt <= now)
        {
            return null;
        }

        // "Last used" for `hubctl api-credentials list`, written at most every five minutes per credential.
        if (record.LastUsedAt is null || record.LastUsedAt < now - LastUseResolution)
        {
            await db.ApiCredentials.Where(c => c.Id == record.Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.LastUsedAt, now), ct);
        }

        return record;
    }

    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(5);

    private static bool TryParse(string token, out Guid id, out byte[] secret)
    {
        id = default;
        secret = [];
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return false;
        }

        var parts = token[TokenPrefix.Length..].Split('_', 2);
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out id))
        {
            return false;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(parts[1].Length)];
        if (Base64Url.DecodeFromChars(parts[1], buffer, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        secret = buffer[..written];
        return true;
    }
}
