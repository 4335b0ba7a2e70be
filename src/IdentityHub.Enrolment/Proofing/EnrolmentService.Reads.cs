using IdentityHub.Core.Audit;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Registry;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Proofing;

/// <summary>What officers and supervisors read of enrolments: each view within their scope is audited.</summary>
public sealed partial class EnrolmentService
{
    public async Task<Outcome<EnrolmentView>> GetAsync(Guid id, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayView)
        {
            return Outcome<EnrolmentView>.Failure(EnrolmentErrors.Forbidden, "Your role does not allow viewing enrolments.");
        }

        var record = await db.Enrolments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (record is null)
        {
            return NotFound(id);
        }

        if (!RegistryScope.MayReadEnrolment(actor, record.ServicePoint))
        {
            await RegistryScope.RefusedAsync(audit, actor, "enrolment", id.ToString(), ct);
            return NotFound(id);
        }

        await audit.AppendAsync(new AuditEvent("registry.enrolment.viewed", actor.UserName, id.ToString(),
            new Dictionary<string, string> { ["channel"] = actor.Channel }), ct);
        return EnrolmentView.From(record);
    }

    /// <summary>The persons an enrolment may duplicate, for the officer to compare; each one shown is an audited view.</summary>
    public async Task<IReadOnlyList<PersonView>> CandidatesAsync(EnrolmentView enrolment, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOfficer || enrolment.DuplicateCandidates.Count == 0)
        {
            return [];
        }

        var ids = enrolment.DuplicateCandidates.ToList();
        var persons = await db.Persons.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.SearchName).ToListAsync(ct);
        foreach (var person in persons)
        {
            await audit.AppendAsync(new AuditEvent("registry.person.viewed", actor.UserName, person.NationalId, new Dictionary<string, string>
            {
                ["channel"] = actor.Channel,
                ["view"] = "duplicate-candidate",
                ["enrolment"] = enrolment.Id.ToString(),
            }), ct);
        }

        return persons.Select(PersonView.From).ToList();
    }

    /// <summary>Open enrolments (not issued or cancelled) at the actor's service points, newest first: the work queue of officers and supervisors.</summary>
    public async Task<IReadOnlyList<EnrolmentSummary>> OpenAsync(StaffActor actor, int take, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var open = db.Enrolments.AsNoTracking()
            .Where(e => e.Status == EnrolmentStatus.Draft || e.Status == EnrolmentStatus.Verified || e.Status == EnrolmentStatus.Approved);
        if (!actor.ReadsEverywhere)
        {
            var codes = actor.ServicePoints!.ToList();
            open = open.Where(e => codes.Contains(e.ServicePoint));
        }

        var rows = await open.OrderByDescending(e => e.CreatedAt).Take(take).ToListAsync(ct);
        return rows.Select(EnrolmentSummary.From).ToList();
    }

    /// <summary>The decrypted photo, for the officer comparing it with the person (the view is audited).</summary>
    public async Task<Outcome<FacePhoto>> PhotoAsync(Guid id, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOfficer)
        {
            return Outcome<FacePhoto>.Failure(EnrolmentErrors.Forbidden, "Only officers and supervisors see evidence photos.");
        }

        var record = await db.Enrolments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (record is not null && !actor.ActsFor(record.ServicePoint))
        {
            await RegistryScope.RefusedAsync(audit, actor, "enrolment-photo", id.ToString(), ct);
            record = null;
        }

        if (record?.PhotoCiphertext is null)
        {
            return Outcome<FacePhoto>.Failure(EnrolmentErrors.NotFound, "This enrolment has no photo.");
        }

        var content = cipher.Decrypt(record.PhotoCiphertext, PhotoContext(record.Id));
        await audit.AppendAsync(new AuditEvent("enrolment.photo.viewed", actor.UserName, id.ToString(),
            new Dictionary<string, string> { ["channel"] = actor.Channel }), ct);
        return new FacePhoto(record.PhotoContentType ?? "image/jpeg", content);
    }
}
