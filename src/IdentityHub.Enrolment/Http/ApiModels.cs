using IdentityHub.Enrolment.Proofing;

namespace IdentityHub.Enrolment.Http;

/// <summary>POST /enrolments: the person's claimed identity, the document seen and, optionally, the face photo (base64).
/// The service point is the API credential's, whatever the body says.</summary>
public sealed record CreateEnrolmentBody : EnrolmentRequest
{
    /// <summary>JPEG or PNG, base64.</summary>
    public string? Photo { get; init; }
}

public sealed record PhotoBody(string? Photo);

public sealed record DuplicateDecisionBody(Guid? SamePersonId, string? Note);

public sealed record ReasonBody(string? Reason);

/// <summary>reason: an RFC 5280 reason name (unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn).</summary>
public sealed record RevokeBody(string? Reason, string? Note);

/// <summary>identityDocumentChecked: the officer confirms they checked the person's identity document at the counter.</summary>
public sealed record RecoveryLetterBody(bool? IdentityDocumentChecked);
