using IdentityHub.Core.Audit;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Registry;

namespace IdentityHub.Enrolment.Proofing;

/// <summary>The review steps after intake: photo, duplicate decision, verification, approval (four eyes) and cancellation.</summary>
public sealed partial class EnrolmentService
{
    public Task<Outcome<EnrolmentView>> AttachPhotoAsync(Guid id, FacePhoto photo, StaffActor actor, CancellationToken ct) =>
        StepAsync(id, actor, "enrolment.photo.captured", record =>
        {
            ArgumentNullException.ThrowIfNull(photo);
            if (!actor.IsOfficer)
            {
                return Refusal(EnrolmentErrors.Forbidden, "Only officers and supervisors capture evidence.");
            }

            if (record.Status != EnrolmentStatus.Draft)
            {
                return Refusal(EnrolmentErrors.InvalidState, "The photo can only be changed while the enrolment is a draft.");
            }

            if (EnrolmentValidator.ValidatePhoto(photo) is { } error)
            {
                return error;
            }

            SealPhoto(record, photo);
            return null;
        }, ct);

    /// <summary>An officer decides on the possible duplicates: the same person as <paramref name="samePersonId"/>, or someone else.</summary>
    public Task<Outcome<EnrolmentView>> DecideDuplicateAsync(Guid id, Guid? samePersonId, string note, StaffActor actor, CancellationToken ct) =>
        StepAsync(id, actor, "enrolment.duplicate.decided", record =>
        {
            if (!actor.IsOfficer)
            {
                return Refusal(EnrolmentErrors.Forbidden, "Only officers and supervisors decide on duplicates.");
            }

            if (record.Status != EnrolmentStatus.Draft || record.DuplicateCandidates.Length == 0)
            {
                return Refusal(EnrolmentErrors.InvalidState, "This enrolment has no open duplicate decision.");
            }

            if (string.IsNullOrWhiteSpace(note) || note.Length > 1000)
            {
                return new EnrolmentError(EnrolmentErrors.Validation, "Say why (at most 1000 characters): what did you compare?", "Note");
            }

            if (samePersonId is not null && record.Purpose == EnrolmentPurpose.ChangeOfParticulars)
            {
                return new EnrolmentError(EnrolmentErrors.Validation,
                    "A change of particulars is for the person named by the national identifier: the candidates can only be someone else.", "SamePersonId");
            }

            if (samePersonId is { } same && !record.DuplicateCandidates.Contains(same))
            {
                return new EnrolmentError(EnrolmentErrors.Validation, "Choose one of the candidates listed, or decide it is a different person.", "SamePersonId");
            }

            record.DuplicateDecision = samePersonId is null ? DuplicateDecision.DifferentPerson : DuplicateDecision.SamePerson;
            record.PersonId = samePersonId ?? record.PersonId;
            record.DuplicateDecisionBy = actor.UserName;
            record.DuplicateNote = note.Trim();
            return null;
        }, ct);

    /// <summary>The officer confirms the document was checked and the photo matches the person at the counter.</summary>
    public Task<Outcome<EnrolmentView>> VerifyAsync(Guid id, StaffActor actor, CancellationToken ct) =>
        StepAsync(id, actor, "enrolment.verified", record =>
        {
            if (!actor.IsOfficer)
            {
                return Refusal(EnrolmentErrors.Forbidden, "Only officers and supervisors verify evidence.");
            }

            if (record.Status != EnrolmentStatus.Draft)
            {
                return Refusal(EnrolmentErrors.InvalidState, $"Only a draft can be verified; this enrolment is {record.Status.ToString().ToLowerInvariant()}.");
            }

            if (record.DuplicateCandidates.Length > 0 && record.DuplicateDecision == DuplicateDecision.None)
            {
                return Refusal(EnrolmentErrors.DuplicateDecisionRequired, "Possible duplicates were found: decide on them before verifying.");
            }

            if (record.PhotoCiphertext is null)
            {
                return new EnrolmentError(EnrolmentErrors.Validation, "Capture the face photo before verifying.", "Photo");
            }

            if (record.DocumentExpiresOn < DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
            {
                return new EnrolmentError(EnrolmentErrors.Validation, $"The identity document expired on {record.DocumentExpiresOn:yyyy-MM-dd}.", "DocumentExpiresOn");
            }

            record.Status = EnrolmentStatus.Verified;
            record.VerifiedBy = actor.UserName;
            record.VerifiedByAccountId = actor.AccountId;
            record.VerifiedAt = time.GetUtcNow();
            return null;
        }, ct);

    /// <summary>Four-eyes rule: a supervisor other than the officer who recorded (or verified) the enrolment approves it.</summary>
    public Task<Outcome<EnrolmentView>> ApproveAsync(Guid id, StaffActor actor, CancellationToken ct) =>
        StepAsync(id, actor, "enrolment.approved", record =>
        {
            if (!actor.IsSupervisor)
            {
                return Refusal(EnrolmentErrors.Forbidden, "Only a supervisor approves enrolments.");
            }

            if (record.Status != EnrolmentStatus.Verified)
            {
                return Refusal(EnrolmentErrors.InvalidState, $"Only a verified enrolment can be approved; this one is {record.Status.ToString().ToLowerInvariant()}.");
            }

            // The accounts are compared, never the names a device or a form could claim.
            if (actor.Is(record.CreatedByAccountId, record.CreatedBy) || actor.Is(record.VerifiedByAccountId, record.VerifiedBy))
            {
                return Refusal(EnrolmentErrors.FourEyes, "You recorded or verified this enrolment: a different supervisor must approve it (four-eyes rule).");
            }

            record.Status = EnrolmentStatus.Approved;
            record.ApprovedBy = actor.UserName;
            record.ApprovedByAccountId = actor.AccountId;
            record.ApprovedAt = time.GetUtcNow();
            return null;
        }, ct);

    public Task<Outcome<EnrolmentView>> CancelAsync(Guid id, string reason, StaffActor actor, CancellationToken ct) =>
        StepAsync(id, actor, "enrolment.cancelled", record =>
        {
            if (!actor.IsOfficer)
            {
                return Refusal(EnrolmentErrors.Forbidden, "Only officers and supervisors cancel enrolments.");
            }

            if (record.Status is EnrolmentStatus.Issued or EnrolmentStatus.Cancelled)
            {
                return Refusal(EnrolmentErrors.InvalidState, $"This enrolment is already {record.Status.ToString().ToLowerInvariant()}.");
            }

            if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000)
            {
                return new EnrolmentError(EnrolmentErrors.Validation, "Give the reason for cancelling (at most 1000 characters).", "Reason");
            }

            record.Status = EnrolmentStatus.Cancelled;
            record.CancelledBy = actor.UserName;
            record.CancelledAt = time.GetUtcNow();
            record.CancelReason = reason.Trim();
            return null;
        }, ct);

    /// <summary>Locks the enrolment row, applies <paramref name="change"/> (null = accepted), saves and audits in one transaction.</summary>
    private async Task<Outcome<EnrolmentView>> StepAsync(Guid id, StaffActor actor, string auditType, Func<EnrolmentRecord, EnrolmentError?> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var record = await EnrolmentRows.LockAsync(db, id, ct);
        if (record is null)
        {
            return NotFound(id);
        }

        if (!actor.ActsFor(record.ServicePoint))
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            await RegistryScope.RefusedAsync(audit, actor, auditType, id.ToString(), ct);
            return NotFound(id);
        }

        var error = change(record);
        if (error is not null)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            if (error.Code != EnrolmentErrors.Validation)
            {
                await audit.AppendAsync(new AuditEvent("enrolment.step.refused", actor.UserName, id.ToString(), new Dictionary<string, string>
                {
                    ["channel"] = actor.Channel,
                    ["step"] = auditType,
                    ["error"] = error.Code,
                }), ct);
            }

            return error;
        }

        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent(auditType, actor.UserName, id.ToString(), new Dictionary<string, string> { ["channel"] = actor.Channel }), ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return EnrolmentView.From(record);
    }
}
