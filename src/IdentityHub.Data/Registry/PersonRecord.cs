namespace IdentityHub.Data.Registry;

/// <summary>A person in the national identity registry: the current state; <see cref="PersonVersionRecord"/> holds every earlier one.</summary>
public sealed class PersonRecord
{
    public Guid Id { get; set; }

    /// <summary>11 digits with a Verhoeff check digit (docs/national-identifier.md); unique.</summary>
    public required string NationalId { get; set; }

    public required string GivenNames { get; set; }

    public required string Surname { get; set; }

    /// <summary>Case- and accent-folded "surname|given names" for search and duplicate detection; never shown.</summary>
    public required string SearchName { get; set; }

    public DateOnly DateOfBirth { get; set; }

    public required string PlaceOfBirth { get; set; }

    /// <summary>ISO 3166-1 alpha-3 (as in ICAO 9303 machine-readable zones).</summary>
    public required string Nationality { get; set; }

    /// <summary>F, M or X (ICAO 9303), or null when not recorded.</summary>
    public string? Sex { get; set; }

    /// <summary>The registered postal address (lines separated by newlines), where recovery letters are posted; null when none was given.</summary>
    public string? PostalAddress { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One state of a person's record: who changed it, when, and on what evidence (the enrolment).</summary>
public sealed class PersonVersionRecord
{
    public long Id { get; set; }

    public Guid PersonId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public required string ChangedBy { get; set; }

    /// <summary>The enrolment whose verified identity document is the evidence for this version.</summary>
    public Guid? EnrolmentId { get; set; }

    public required string Reason { get; set; }

    /// <summary>The record's fields at this version, as JSON.</summary>
    public required string Snapshot { get; set; }

    /// <summary>The fields that differ from the previous version, as JSON (empty object for the first).</summary>
    public required string Changes { get; set; }
}
