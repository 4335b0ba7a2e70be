using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Registry;

/// <summary>
/// What an officer may touch (docs/enrolment.md, "Who may touch what"). A person belongs to a service point's records
/// once they presented themselves there: an enrolment recorded there (whatever became of it) or an eID issued there.
/// A person enrolled elsewhere is brought into a counter's scope by recording an enrolment for them at that counter
/// (their national identifier and the document they show). Enrolments belong to the service point that recorded them.
/// Outside its scope a counter gets "not found", exactly as for a record that does not exist, and the attempt is audited.
/// </summary>
internal static class RegistryScope
{
    /// <summary>The persons <paramref name="actor"/> may read: everyone for national readers, else their service points' persons.</summary>
    public static IQueryable<PersonRecord> Readable(HubDbContext db, StaffActor actor) =>
        actor.ReadsEverywhere ? db.Persons : Local(db, db.Persons, actor.ServicePoints!);

    /// <summary>The persons <paramref name="actor"/> may act on as an officer: their service points' persons (everyone for hubctl).</summary>
    public static IQueryable<PersonRecord> Actionable(HubDbContext db, StaffActor actor) =>
        actor.ServicePoints is null ? db.Persons : Local(db, db.Persons, actor.ServicePoints);

    public static Task<bool> MayReadPersonAsync(HubDbContext db, StaffActor actor, Guid personId, CancellationToken ct) =>
        actor.ReadsEverywhere ? Task.FromResult(true) : Readable(db, actor).AnyAsync(p => p.Id == personId, ct);

    public static Task<bool> MayActOnPersonAsync(HubDbContext db, StaffActor actor, Guid personId, CancellationToken ct) =>
        actor.ServicePoints is null ? Task.FromResult(true) : Actionable(db, actor).AnyAsync(p => p.Id == personId, ct);

    /// <summary>Whether <paramref name="actor"/> may read an enrolment recorded at <paramref name="servicePoint"/>.</summary>
    public static bool MayReadEnrolment(StaffActor actor, string servicePoint) => actor.ReadsEverywhere || actor.ActsFor(servicePoint);

    /// <summary>Audits a look or a change refused for scope: the caller answers "not found", the log keeps the truth.</summary>
    public static Task RefusedAsync(AuditLog audit, StaffActor actor, string what, string subject, CancellationToken ct) =>
        audit.AppendAsync(new AuditEvent("registry.scope.refused", actor.UserName, subject, new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["what"] = what,
            ["servicePoints"] = actor.ServicePoints is null ? "*" : string.Join(' ', actor.ServicePoints.Order(StringComparer.Ordinal)),
        }), ct);

    private static IQueryable<PersonRecord> Local(HubDbContext db, IQueryable<PersonRecord> persons, IReadOnlySet<string> servicePoints)
    {
        var codes = servicePoints.ToList();
        return persons.Where(p => db.Enrolments.Any(e => e.PersonId == p.Id && codes.Contains(e.ServicePoint))
            || db.Eids.Any(e => e.PersonId == p.Id && codes.Contains(e.ServicePoint)));
    }
}
