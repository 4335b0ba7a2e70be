namespace IdentityHub.Enrolment.Proofing;

/// <summary>What an officer records at the counter: the claimed identity and the identity document seen.</summary>
public record EnrolmentRequest
{
    public string? GivenNames { get; init; }

    public string? Surname { get; init; }

    /// <summary>ISO 8601 date (yyyy-MM-dd).</summary>
    public string? DateOfBirth { get; init; }

    public string? PlaceOfBirth { get; init; }

    /// <summary>ISO 3166-1 alpha-3.</summary>
    public string? Nationality { get; init; }

    /// <summary>F, M, X or empty.</summary>
    public string? Sex { get; init; }

    /// <summary>passport, identity-card or residence-permit.</summary>
    public string? DocumentType { get; init; }

    public string? DocumentNumber { get; init; }

    /// <summary>ISO 3166-1 alpha-3 of the issuing state.</summary>
    public string? DocumentIssuingState { get; init; }

    /// <summary>ISO 8601 date (yyyy-MM-dd).</summary>
    public string? DocumentExpiresOn { get; init; }

    /// <summary>The service point where the person stands.</summary>
    public string? ServicePoint { get; init; }

    /// <summary>For a person already in the registry (new eID, replacement, changed names): their national identifier.</summary>
    public string? ExistingNationalId { get; init; }

    /// <summary>"newEid" (the default) or "changeOfParticulars": a person who holds an eID changes their particulars on new evidence.</summary>
    public string? Purpose { get; init; }

    /// <summary>For a change of particulars: the evidence for it besides the identity document (e.g. "marriage certificate 123/2026").</summary>
    public string? ChangeEvidence { get; init; }

    /// <summary>The registered postal address (optional; lines separated by newlines), where recovery letters are posted.</summary>
    public string? PostalAddress { get; init; }
}

/// <summary>A face photo taken at the counter.</summary>
public sealed record FacePhoto(string ContentType, byte[] Content);
