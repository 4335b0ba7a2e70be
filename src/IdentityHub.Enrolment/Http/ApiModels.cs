using IdentityHub.Enrolment.Proofing;

namespace IdentityHub.Enrolment.Http;

/// <summary>POST /enrolments: the person's claimed identity, the document seen and, optionally, the face photo (base64).</summary>
public sealed record CreateEnrolmentBody
{
    public string? GivenNames { get; init; }

    public string? Surname { get; init; }

    /// <summary>yyyy-MM-dd</summary>
    public string? DateOfBirth { get; init; }

    public string? PlaceOfBirth { get; init; }

    /// <summary>ISO 3166-1 alpha-3</summary>
    public string? Nationality { get; init; }

    /// <summary>F, M, X or null</summary>
    public string? Sex { get; init; }

    /// <summary>passport, identity-card or residence-permit</summary>
    public string? DocumentType { get; init; }

    public string? DocumentNumber { get; init; }

    /// <summary>ISO 3166-1 alpha-3</summary>
    public string? DocumentIssuingState { get; init; }

    /// <summary>yyyy-MM-dd</summary>
    public string? DocumentExpiresOn { get; init; }

    /// <summary>For a person already in the registry.</summary>
    public string? ExistingNationalId { get; init; }

    /// <summary>JPEG or PNG, base64.</summary>
    public string? Photo { get; init; }

    internal EnrolmentRequest ToRequest(string servicePoint) => new()
    {
        GivenNames = GivenNames,
        Surname = Surname,
        DateOfBirth = DateOfBirth,
        PlaceOfBirth = PlaceOfBirth,
        Nationality = Nationality,
        Sex = Sex,
        DocumentType = DocumentType,
        DocumentNumber = DocumentNumber,
        DocumentIssuingState = DocumentIssuingState,
        DocumentExpiresOn = DocumentExpiresOn,
        ServicePoint = servicePoint,
        ExistingNationalId = ExistingNationalId,
    };
}

public sealed record PhotoBody(string? Photo);

public sealed record DuplicateDecisionBody(Guid? SamePersonId, string? Note);

public sealed record ReasonBody(string? Reason);

/// <summary>reason: an RFC 5280 reason name (unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn).</summary>
public sealed record RevokeBody(string? Reason, string? Note);
