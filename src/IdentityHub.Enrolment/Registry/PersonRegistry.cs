using IdentityHub.Core.Audit;
using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Registry;

/// <summary>
/// Finding people in the registry. Every view of a person's record is itself audited (who looked at whom); a search
/// that returns several people audits each one shown.
/// </summary>
public sealed class PersonRegistry(HubDbContext db, AuditLog audit)
{
    /// <summary>The most rows one search returns; a wider one asks for more detail.</summary>
    public const int MaxResults = 50;

    public async Task<Outcome<IReadOnlyList<PersonView>>> FindByNationalIdAsync(string nationalId, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayView)
        {
            return Forbidden<IReadOnlyList<PersonView>>();
        }

        if (!NationalId.TryParse(nationalId, out var id, out var error))
        {
            return Outcome<IReadOnlyList<PersonView>>.Failure(EnrolmentErrors.Validation, error!, "NationalId");
        }

        var value = id.Value.Value;
        var found = await RegistryScope.Readable(db, actor).AsNoTracking().Where(p => p.NationalId == value).ToListAsync(ct);
        return await ShownAsync(found, actor, "national-id", ct);
    }

    public async Task<Outcome<IReadOnlyList<PersonView>>> FindByNameAsync(string surname, string givenNames, DateOnly dateOfBirth, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayView)
        {
            return Forbidden<IReadOnlyList<PersonView>>();
        }

        if (string.IsNullOrWhiteSpace(surname))
        {
            return Outcome<IReadOnlyList<PersonView>>.Failure(EnrolmentErrors.Validation, "Enter the surname.", "Surname");
        }

        // Surname must match in full; given names may be the first of several ("Anna" finds "Anna Maria").
        var folded = SearchNames.Fold(surname, givenNames ?? string.Empty);
        var query = RegistryScope.Readable(db, actor).AsNoTracking().Where(p => p.DateOfBirth == dateOfBirth);
        query = string.IsNullOrWhiteSpace(givenNames)
            ? query.Where(p => p.SearchName.StartsWith(folded))
            : query.Where(p => p.SearchName == folded || p.SearchName.StartsWith(folded + " "));
        var found = await query.OrderBy(p => p.SearchName).Take(MaxResults).ToListAsync(ct);
        return await ShownAsync(found, actor, "name-and-birth-date", ct);
    }

    public async Task<Outcome<IReadOnlyList<PersonView>>> FindByDocumentNumberAsync(string documentNumber, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayView)
        {
            return Forbidden<IReadOnlyList<PersonView>>();
        }

        var number = (documentNumber ?? string.Empty).Trim().ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal);
        if (number.Length == 0)
        {
            return Outcome<IReadOnlyList<PersonView>>.Failure(EnrolmentErrors.Validation, "Enter a document number.", "DocumentNumber");
        }

        // Either an identity document seen at enrolment or the number of an eID the hub issued.
        var byEvidence = db.Enrolments.Where(e => e.DocumentNumber == number && e.PersonId != null).Select(e => e.PersonId!.Value);
        var byEid = db.Eids.Where(e => e.DocumentNumber == number).Select(e => e.PersonId);
        var ids = byEvidence.Union(byEid);
        var found = await RegistryScope.Readable(db, actor).AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.SearchName).Take(MaxResults).ToListAsync(ct);
        return await ShownAsync(found, actor, "document-number", ct);
    }

    /// <summary>The whole dossier of one person; audited as a view.</summary>
    public async Task<Outcome<PersonDossier>> GetAsync(string nationalId, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayView)
        {
            return Forbidden<PersonDossier>();
        }

        if (!NationalId.TryParse(nationalId, out var id, out var error))
        {
            return Outcome<PersonDossier>.Failure(EnrolmentErrors.Validation, error!, "NationalId");
        }

        var value = id.Value.Value;
        var person = await db.Persons.AsNoTracking().SingleOrDefaultAsync(p => p.NationalId == value, ct);
        return await DossierAsync(person, actor, $"No person has national identifier {value}.", ct);
    }

    /// <summary>
    /// The whole dossier of one person by the registry's internal id, so the console's person pages carry no national
    /// identifier in their address; audited as a view.
    /// </summary>
    public async Task<Outcome<PersonDossier>> GetByIdAsync(Guid personId, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayView)
        {
            return Forbidden<PersonDossier>();
        }

        var person = await db.Persons.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, ct);
        return await DossierAsync(person, actor, "No such person.", ct);
    }

    private async Task<Outcome<PersonDossier>> DossierAsync(PersonRecord? person, StaffActor actor, string notFound, CancellationToken ct)
    {
        if (person is not null && !await RegistryScope.MayReadPersonAsync(db, actor, person.Id, ct))
        {
            await RegistryScope.RefusedAsync(audit, actor, "person", person.NationalId, ct);
            person = null;
        }

        if (person is null)
        {
            return Outcome<PersonDossier>.Failure(EnrolmentErrors.NotFound, notFound, "NationalId");
        }

        var history = await db.PersonVersions.AsNoTracking().Where(v => v.PersonId == person.Id).OrderByDescending(v => v.Version)
            .Select(v => new PersonVersionView(v.Version, v.ChangedAt, v.ChangedBy, v.EnrolmentId, v.Reason, v.Changes)).ToListAsync(ct);
        var eids = await EidReader.ForPersonAsync(db, person.Id, ct);
        var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.PersonId == person.Id).OrderByDescending(e => e.CreatedAt).ToListAsync(ct);
        await audit.AppendAsync(new AuditEvent("registry.person.viewed", actor.UserName, person.NationalId,
            new Dictionary<string, string> { ["channel"] = actor.Channel, ["view"] = "dossier" }), ct);
        return new PersonDossier(PersonView.From(person), history, eids, enrolments.Select(EnrolmentSummary.From).ToList());
    }

    private async Task<Outcome<IReadOnlyList<PersonView>>> ShownAsync(List<PersonRecord> found, StaffActor actor, string searchBy, CancellationToken ct)
    {
        foreach (var person in found)
        {
            await audit.AppendAsync(new AuditEvent("registry.person.viewed", actor.UserName, person.NationalId,
                new Dictionary<string, string> { ["channel"] = actor.Channel, ["view"] = "search", ["by"] = searchBy }), ct);
        }

        return found.Select(PersonView.From).ToList();
    }

    private static Outcome<T> Forbidden<T>() =>
        Outcome<T>.Failure(EnrolmentErrors.Forbidden, "Your role does not allow viewing person records.");
}
