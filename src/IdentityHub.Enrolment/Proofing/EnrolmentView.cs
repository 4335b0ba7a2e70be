using IdentityHub.Data.Registry;

namespace IdentityHub.Enrolment.Proofing;

/// <summary>An enrolment as the console and the API show it (never the photo itself, only whether one was captured).</summary>
public sealed record EnrolmentView(
    Guid Id,
    EnrolmentStatus Status,
    string GivenNames,
    string Surname,
    DateOnly DateOfBirth,
    string PlaceOfBirth,
    string Nationality,
    string? Sex,
    string DocumentType,
    string DocumentNumber,
    string DocumentIssuingState,
    DateOnly DocumentExpiresOn,
    bool HasPhoto,
    string ServicePoint,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<Guid> DuplicateCandidates,
    DuplicateDecision DuplicateDecision,
    string? DuplicateNote,
    Guid? PersonId,
    string? VerifiedBy,
    string? ApprovedBy,
    string? CancelledBy,
    string? CancelReason,
    Guid? EidId,
    string? IssuedBy)
{
    /// <summary>What the enrolment is for: a new eID, or a change of particulars of a person who holds one.</summary>
    public EnrolmentPurpose Purpose { get; init; }

    /// <summary>For a change of particulars: the evidence named for it.</summary>
    public string? ChangeEvidence { get; init; }

    /// <summary>The registered postal address given, if any.</summary>
    public string? PostalAddress { get; init; }

    /// <summary>Candidates exist and no officer has decided yet.</summary>
    public bool NeedsDuplicateDecision => DuplicateCandidates.Count > 0 && DuplicateDecision == DuplicateDecision.None;

    internal static EnrolmentView From(EnrolmentRecord e) =>
        new(e.Id, e.Status, e.GivenNames, e.Surname, e.DateOfBirth, e.PlaceOfBirth, e.Nationality, e.Sex, e.DocumentType, e.DocumentNumber,
            e.DocumentIssuingState, e.DocumentExpiresOn, e.PhotoCiphertext is not null, e.ServicePoint, e.CreatedBy, e.CreatedAt,
            e.DuplicateCandidates, e.DuplicateDecision, e.DuplicateNote, e.PersonId, e.VerifiedBy, e.ApprovedBy, e.CancelledBy,
            e.CancelReason, e.EidId, e.IssuedBy)
        {
            Purpose = e.Purpose,
            ChangeEvidence = e.ChangeEvidence,
            PostalAddress = e.PostalAddress,
        };
}
