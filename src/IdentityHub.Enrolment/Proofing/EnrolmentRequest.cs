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
}

/// <summary>A face photo taken at the counter.</summary>
public sealed record FacePhoto(string ContentType, byte[] Content);
