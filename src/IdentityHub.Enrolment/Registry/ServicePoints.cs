using System.Text.RegularExpressions;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Registry;

/// <summary>Service points (counters, offices) where people are enrolled; API credentials are bound to one.</summary>
public sealed partial class ServicePoints(HubDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>Adds a service point; an existing open one with the same code is left as it is (returns false).</summary>
    public async Task<bool> AddAsync(string code, string name, string actor, CancellationToken ct)
    {
        if (!CodePattern().IsMatch(code ?? string.Empty))
        {
            throw new ArgumentException("A service point code is 2-64 characters A-Z, 0-9 and '-', e.g. TLN-01.", nameof(code));
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw new ArgumentException("Give the service point a name of at most 200 characters.", nameof(name));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.ServicePoints.AnyAsync(s => s.Code == code, ct))
        {
            return false;
        }

        db.ServicePoints.Add(new ServicePointRecord { Code = code!, Name = name.Trim(), CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("registry.service-point.added", actor, code!, new Dictionary<string, string> { ["name"] = name.Trim() }), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public Task<List<ServicePointRecord>> OpenAsync(CancellationToken ct) =>
        db.ServicePoints.AsNoTracking().Where(s => s.ClosedAt == null).OrderBy(s => s.Code).ToListAsync(ct);

    [GeneratedRegex("^[A-Z0-9-]{2,64}$")]
    private static partial Regex CodePattern();
}
