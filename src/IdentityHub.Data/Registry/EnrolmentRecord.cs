namespace IdentityHub.Data.Registry;

/// <summary>
/// One identity proofing at a counter: the claimed identity, the evidence seen, and the officers' decisions. Moves
/// draft → verified → approved → issued, or is cancelled before issue. Never deleted: it is the evidence behind a person's record.
/// </summary>
public sealed class EnrolmentRecord
{
    public Guid Id { get; set; }

    public EnrolmentStatus Status { get; set; }

    /// <summary>What the proofing is for: a new eID, or a change of particulars (a name change) for a person who holds one.</summary>
    public EnrolmentPurpose Purpose { get; set; }

    /// <summary>For a change of particulars: the evidence for the change besides the new identity document (e.g. "marriage certificate 123/2026").</summary>
    public string? ChangeEvidence { get; set; }

    public required string GivenNames { get; set; }

    public required string Surname { get; set; }

    public DateOnly DateOfBirth { get; set; }

    public required string PlaceOfBirth { get; set; }

    public required string Nationality { get; set; }

    public string? Sex { get; set; }

    /// <summary>The registered postal address the person gave (lines separated by newlines), where recovery letters are posted.</summary>
    public string? PostalAddress { get; set; }

    /// <summary>passport, identity-card or residence-permit.</summary>
    public required string DocumentType { get; set; }

    /// <summary>As printed, upper case, without spaces.</summary>
    public required string DocumentNumber { get; set; }

    /// <summary>ISO 3166-1 alpha-3 of the state that issued the document.</summary>
    public required string DocumentIssuingState { get; set; }

    public DateOnly DocumentExpiresOn { get; set; }

    /// <summary>The face photo, encrypted under the HSM's evidence key (AES-GCM); null until captured.</summary>
    public byte[]? PhotoCiphertext { get; set; }

    public byte[]? PhotoSha256 { get; set; }

    public string? PhotoContentType { get; set; }

    public required string ServicePoint { get; set; }

    public required string CreatedBy { get; set; }

    /// <summary>The staff account that recorded it; the four-eyes rule compares accounts, never names.</summary>
    public Guid? CreatedByAccountId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Persons found with the same document, or the same names and birth date; the enrolment stops until an officer decides.</summary>
    public Guid[] DuplicateCandidates { get; set; } = [];

    public DuplicateDecision DuplicateDecision { get; set; }

    public string? DuplicateDecisionBy { get; set; }

    public string? DuplicateNote { get; set; }

    /// <summary>The existing person this enrolment is for (re-enrolment, or decided "same person"); null creates a new person.</summary>
    public Guid? PersonId { get; set; }

    public string? VerifiedBy { get; set; }

    public Guid? VerifiedByAccountId { get; set; }

    public DateTimeOffset? VerifiedAt { get; set; }

    public string? ApprovedBy { get; set; }

    public Guid? ApprovedByAccountId { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public string? CancelledBy { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public string? CancelReason { get; set; }

    public Guid? EidId { get; set; }

    public string? IssuedBy { get; set; }

    public Guid? IssuedByAccountId { get; set; }

    public DateTimeOffset? IssuedAt { get; set; }
}

public enum EnrolmentPurpose
{
    /// <summary>A new person, or a person without a current eID: approval leads to issuing an eID.</summary>
    NewEid = 0,

    /// <summary>
    /// A person who holds an eID changes their particulars (a name after marriage or a court order) on new evidence:
    /// approval applies the change as a new version of the person, and the certificates with the old name are replaced.
    /// </summary>
    ChangeOfParticulars = 1,
}

public enum EnrolmentStatus
{
    Draft = 0,
    Verified = 1,
    Approved = 2,
    Issued = 3,
    Cancelled = 4,
}

public enum DuplicateDecision
{
    /// <summary>No candidates, or not decided yet.</summary>
    None = 0,

    /// <summary>The enrolment is for one of the candidates (<see cref="EnrolmentRecord.PersonId"/>).</summary>
    SamePerson = 1,

    /// <summary>The officer checked the candidates and this is someone else.</summary>
    DifferentPerson = 2,
}
