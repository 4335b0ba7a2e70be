using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Authentication.Staff;

/// <summary>
/// Which service points a staff member works at (docs/enrolment.md, "Who may touch what"). An officer or supervisor acts
/// only for the service points they are assigned to: they sign in on a counter device only there, and what they may
/// read or change is scoped to those service points' records. Every assignment and removal is audited. Removing one ends
/// the member's counter sessions at that service point and their console sessions (whose cookies list the service
/// points), at once; a new assignment counts from the member's next sign-in.
/// </summary>
public sealed class StaffServicePoints(HubDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<string>> OfAsync(Guid accountId, CancellationToken ct) =>
        await db.StaffServicePoints.AsNoTracking().Where(a => a.AccountId == accountId).Select(a => a.ServicePoint)
            .OrderBy(c => c).ToListAsync(ct);

    /// <summary>The open service points (code and name, by code): what an admin may assign staff to.</summary>
    public async Task<IReadOnlyList<(string Code, string Name)>> OpenAsync(CancellationToken ct) =>
        (await db.ServicePoints.AsNoTracking().Where(s => s.ClosedAt == null).OrderBy(s => s.Code).Select(s => new { s.Code, s.Name }).ToListAsync(ct))
            .Select(s => (s.Code, s.Name)).ToList();

    /// <returns>null on success (also when already assigned), otherwise why not.</returns>
    public async Task<string?> AssignAsync(string userName, string servicePoint, string actor, CancellationToken ct)
    {
        var (account, code, error) = await FindAsync(userName, servicePoint, ct);
        if (error is not null)
        {
            return error;
        }

        if (!await db.ServicePoints.AnyAsync(s => s.Code == code && s.ClosedAt == null, ct))
        {
            return $"service point '{code}' does not exist or is closed (hubctl service-points add)";
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO accounts.staff_service_points ("AccountId", "ServicePoint", "AssignedAt", "AssignedBy")
            VALUES ({account!.Id}, {code}, {time.GetUtcNow()}, {actor}) ON CONFLICT DO NOTHING
            """, ct);
        if (inserted == 1)
        {
            await audit.AppendAsync(new AuditEvent("staff.service-point.assigned", actor, account.UserName!,
                new Dictionary<string, string> { ["servicePoint"] = code }), ct);
        }

        await transaction.CommitAsync(ct);
        return null;
    }

    /// <returns>null on success (also when not assigned), otherwise why not.</returns>
    public async Task<string?> UnassignAsync(string userName, string servicePoint, string actor, CancellationToken ct)
    {
        var (account, code, error) = await FindAsync(userName, servicePoint, ct);
        if (error is not null)
        {
            return error;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var removed = await db.StaffServicePoints.Where(a => a.AccountId == account!.Id && a.ServicePoint == code).ExecuteDeleteAsync(ct);
        if (removed == 1)
        {
            var now = time.GetUtcNow();
            var ended = await db.Sessions.Where(s => s.AccountId == account!.Id && s.EndedAt == null && (s.ServicePoint == code || s.ServicePoint == null))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, "unassigned"), ct);
            await audit.AppendAsync(new AuditEvent("staff.service-point.unassigned", actor, account!.UserName!, new Dictionary<string, string>
            {
                ["servicePoint"] = code,
                ["sessionsEnded"] = ended.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }), ct);
        }

        await transaction.CommitAsync(ct);
        return null;
    }

    private async Task<(HubAccount? Account, string Code, string? Error)> FindAsync(string userName, string servicePoint, CancellationToken ct)
    {
        var code = (servicePoint ?? "").Trim().ToUpperInvariant();
        var name = (userName ?? "").Trim();
        var account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == name && u.Kind == AccountKind.Staff, ct);
        return account is null ? (null, code, $"no staff account named '{name}'")
            : code.Length == 0 ? (null, code, "name a service point")
            : (account, code, null);
    }
}
