using IdentityHub.Data.Registry;

namespace IdentityHub.Enrolment.Registry;

/// <summary>A person as officers see it.</summary>
public sealed record PersonView(
    Guid Id,
    string NationalId,
    string GivenNames,
    string Surname,
    DateOnly DateOfBirth,
    string PlaceOfBirth,
    string Nationality,
    string? Sex,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static PersonView From(PersonRecord p) =>
        new(p.Id, p.NationalId, p.GivenNames, p.Surname, p.DateOfBirth, p.PlaceOfBirth, p.Nationality, p.Sex, p.Version, p.CreatedAt, p.UpdatedAt);
}

/// <summary>One row of a person's history.</summary>
public sealed record PersonVersionView(int Version, DateTimeOffset ChangedAt, string ChangedBy, Guid? EnrolmentId, string Reason, string Changes);

/// <summary>An eID as officers and hubctl see it.</summary>
public sealed record EidView(
    Guid Id,
    Guid PersonId,
    string DocumentNumber,
    EidStatus Status,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string IssuedBy,
    string ServicePoint,
    DateTimeOffset StatusChangedAt,
    string StatusChangedBy,
    string? StatusReason,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? LetterPrintedAt,
    Guid? ReplacesEidId,
    IReadOnlyList<EidKeyView> Keys)
{
    public EidKeyView? Current(EidKeyPurpose purpose) => Keys.FirstOrDefault(k => k.Purpose == purpose && k.RetiredAt is null);
}

public sealed record EidKeyView(EidKeyPurpose Purpose, string Algorithm, string CertificateIssuer, string CertificateSerial, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>Everything officers may see of one person: record, history, eIDs and enrolments.</summary>
public sealed record PersonDossier(PersonView Person, IReadOnlyList<PersonVersionView> History, IReadOnlyList<EidView> Eids, IReadOnlyList<EnrolmentSummary> Enrolments);

public sealed record EnrolmentSummary(Guid Id, EnrolmentStatus Status, string Surname, string GivenNames, DateOnly DateOfBirth, string DocumentType, string DocumentNumber, string ServicePoint, string CreatedBy, DateTimeOffset CreatedAt)
{
    internal static EnrolmentSummary From(EnrolmentRecord e) =>
        new(e.Id, e.Status, e.Surname, e.GivenNames, e.DateOfBirth, e.DocumentType, e.DocumentNumber, e.ServicePoint, e.CreatedBy, e.CreatedAt);
}
