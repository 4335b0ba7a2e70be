using System.Text.Json;
using IdentityHub.Data;
using IdentityHub.Data.Registry;

namespace IdentityHub.Enrolment.Registry;

/// <summary>Creates or changes a person from an enrolment's verified evidence, writing a version row for every change.</summary>
internal static class PersonHistory
{
    private sealed record Snapshot(string NationalId, string GivenNames, string Surname, DateOnly DateOfBirth, string PlaceOfBirth, string Nationality, string? Sex,
        string? PostalAddress);

    public static PersonRecord Create(HubDbContext db, EnrolmentRecord evidence, string nationalId, string actor, DateTimeOffset now)
    {
        var person = new PersonRecord
        {
            Id = Guid.CreateVersion7(now),
            NationalId = nationalId,
            GivenNames = evidence.GivenNames,
            Surname = evidence.Surname,
            SearchName = SearchNames.Fold(evidence.Surname, evidence.GivenNames),
            DateOfBirth = evidence.DateOfBirth,
            PlaceOfBirth = evidence.PlaceOfBirth,
            Nationality = evidence.Nationality,
            Sex = evidence.Sex,
            PostalAddress = evidence.PostalAddress,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Persons.Add(person);
        db.PersonVersions.Add(Version(person, evidence.Id, actor, now, "First enrolment", "{}"));
        return person;
    }

    /// <summary>
    /// Applies what the new evidence says; a new version only when something differs. A postal address is kept when the
    /// new evidence gives none. Returns the names of the fields that changed.
    /// </summary>
    public static IReadOnlyList<string> Update(HubDbContext db, PersonRecord person, EnrolmentRecord evidence, string actor, DateTimeOffset now)
    {
        var before = Of(person);
        person.GivenNames = evidence.GivenNames;
        person.Surname = evidence.Surname;
        person.SearchName = SearchNames.Fold(evidence.Surname, evidence.GivenNames);
        person.DateOfBirth = evidence.DateOfBirth;
        person.PlaceOfBirth = evidence.PlaceOfBirth;
        person.Nationality = evidence.Nationality;
        person.Sex = evidence.Sex;
        person.PostalAddress = evidence.PostalAddress ?? person.PostalAddress;
        var after = Of(person);
        if (before == after)
        {
            return [];
        }

        var changes = new Dictionary<string, object?>();
        foreach (var property in typeof(Snapshot).GetProperties())
        {
            var old = property.GetValue(before);
            var @new = property.GetValue(after);
            if (!Equals(old, @new))
            {
                changes[property.Name] = new { from = old, to = @new };
            }
        }

        person.Version++;
        person.UpdatedAt = now;
        var reason = evidence.Purpose == EnrolmentPurpose.ChangeOfParticulars
            ? $"Change of particulars: {evidence.ChangeEvidence}"
            : "Changed on new evidence";
        db.PersonVersions.Add(Version(person, evidence.Id, actor, now, reason.Length > 500 ? reason[..500] : reason, JsonSerializer.Serialize(changes)));
        return [.. changes.Keys];
    }

    private static PersonVersionRecord Version(PersonRecord person, Guid enrolmentId, string actor, DateTimeOffset now, string reason, string changes) => new()
    {
        PersonId = person.Id,
        Version = person.Version,
        ChangedAt = now,
        ChangedBy = actor,
        EnrolmentId = enrolmentId,
        Reason = reason,
        Snapshot = JsonSerializer.Serialize(Of(person)),
        Changes = changes,
    };

    private static Snapshot Of(PersonRecord p) => new(p.NationalId, p.GivenNames, p.Surname, p.DateOfBirth, p.PlaceOfBirth, p.Nationality, p.Sex, p.PostalAddress);
}
