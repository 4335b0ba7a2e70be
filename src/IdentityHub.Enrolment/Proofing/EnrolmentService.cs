using System.Security.Cryptography;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Proofing;

/// <summary>
/// Identity proofing at the counter: draft → verified → approved, or cancelled. Each step checks the actor's role and
/// the state under a row lock, writes the change and its audit event in one transaction, and returns errors as values
/// (nothing is written when a step is refused). Issuance is <see cref="Issuance.EidIssuer"/>'s job.
/// </summary>
public sealed class EnrolmentService(HubDbContext db, AuditLog audit, EvidenceCipher cipher, TimeProvider time, IOptions<EnrolmentOptions> options)
{
    public async Task<Outcome<EnrolmentView>> CreateAsync(EnrolmentRequest request, FacePhoto? photo, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOfficer)
        {
            return Outcome<EnrolmentView>.Failure(EnrolmentErrors.Forbidden, "Only officers and supervisors enrol people.");
        }

        var now = time.GetUtcNow();
        var (valid, errors) = EnrolmentValidator.Validate(request, DateOnly.FromDateTime(now.UtcDateTime));
        if (photo is not null && EnrolmentValidator.ValidatePhoto(photo) is { } photoError)
        {
            errors.Add(photoError);
        }

        if (valid is null || errors.Count > 0)
        {
            return Outcome<EnrolmentView>.Failure(errors);
        }

        if (!actor.ActsFor(valid.ServicePoint))
        {
            return Outcome<EnrolmentView>.Failure(EnrolmentErrors.Forbidden, $"You do not work at service point '{valid.ServicePoint}'.", nameof(request.ServicePoint));
        }

        var servicePoint = await db.ServicePoints.AsNoTracking().SingleOrDefaultAsync(s => s.Code == valid.ServicePoint, ct);
        if (servicePoint is null || servicePoint.ClosedAt is not null)
        {
            return Outcome<EnrolmentView>.Failure(EnrolmentErrors.Validation, $"Service point '{valid.ServicePoint}' does not exist or is closed.", nameof(request.ServicePoint));
        }

        Guid? personId = null;
        if (valid.ExistingNationalId is { } existingId)
        {
            var nationalId = existingId.Value;
            personId = await db.Persons.Where(p => p.NationalId == nationalId).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(ct);
            if (personId is null)
            {
                return Outcome<EnrolmentView>.Failure(EnrolmentErrors.Validation, $"No person has national identifier {nationalId}.", nameof(request.ExistingNationalId));
            }
        }

        if (valid.Purpose == EnrolmentPurpose.ChangeOfParticulars && await ChangeRefusalAsync(valid, personId!.Value, ct) is { } refusal)
        {
            return refusal;
        }

        var open = await db.Enrolments.AnyAsync(e => e.DocumentNumber == valid.DocumentNumber && e.DocumentIssuingState == valid.DocumentIssuingState
            && e.DocumentType == valid.DocumentType && (e.Status == EnrolmentStatus.Draft || e.Status == EnrolmentStatus.Verified || e.Status == EnrolmentStatus.Approved), ct);
        if (open)
        {
            return Outcome<EnrolmentView>.Failure(EnrolmentErrors.OpenEnrolmentExists,
                "An open enrolment already uses this identity document: continue or cancel that one.", nameof(request.DocumentNumber));
        }

        var candidates = await DuplicatesAsync(valid, personId, ct);
        var record = new EnrolmentRecord
        {
            Id = Guid.CreateVersion7(now),
            Status = EnrolmentStatus.Draft,
            Purpose = valid.Purpose,
            ChangeEvidence = valid.ChangeEvidence,
            PostalAddress = valid.PostalAddress,
            GivenNames = valid.GivenNames,
            Surname = valid.Surname,
            DateOfBirth = valid.DateOfBirth,
            PlaceOfBirth = valid.PlaceOfBirth,
            Nationality = valid.Nationality,
            Sex = valid.Sex,
            DocumentType = valid.DocumentType,
            DocumentNumber = valid.DocumentNumber,
            DocumentIssuingState = valid.DocumentIssuingState,
            DocumentExpiresOn = valid.DocumentExpiresOn,
            ServicePoint = servicePoint.Code,
            CreatedBy = actor.UserName,
            CreatedByAccountId = actor.AccountId,
            CreatedAt = now,
            PersonId = personId,
            DuplicateCandidates = candidates,
        };
        if (photo is not null)
        {
            SealPhoto(record, photo);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Enrolments.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when ((ex.InnerException as Npgsql.PostgresException)?.ConstraintName == "IX_enrolments_open_document")
        {
            // Another counter created an enrolment for this document between our check and our insert.
            db.ChangeTracker.Clear();
            return Outcome<EnrolmentView>.Failure(EnrolmentErrors.OpenEnrolmentExists,
                "An open enrolment already uses this identity document: continue or cancel that one.", nameof(request.DocumentNumber));
        }

        await audit.AppendAsync(new AuditEvent("enrolment.created", actor.UserName, record.Id.ToString(), new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["servicePoint"] = record.ServicePoint,
            ["documentType"] = record.DocumentType,
            ["duplicateCandidates"] = candidates.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["existingPerson"] = personId is null ? "no" : "yes",
            ["purpose"] = record.Purpose == EnrolmentPurpose.ChangeOfParticulars ? "change-of-particulars" : "new-eid",
        }), ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return EnrolmentView.From(record);
    }

    public async Task<Outcome<EnrolmentView>> GetAsync(Guid id, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayView)
        {
            return Outcome<EnrolmentView>.Failure(EnrolmentErrors.Forbidden, "Your role does not allow viewing enrolments.");
        }

        var record = await db.Enrolments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (record is null)
        {
            return NotFound(id);
        }

        if (!RegistryScope.MayReadEnrolment(actor, record.ServicePoint))
        {
            await RegistryScope.RefusedAsync(audit, actor, "enrolment", id.ToString(), ct);
            return NotFound(id);
        }

        await audit.AppendAsync(new AuditEvent("registry.enrolment.viewed", actor.UserName, id.ToString(),
            new Dictionary<string, string> { ["channel"] = actor.Channel }), ct);
        return EnrolmentView.From(record);
    }

    /// <summary>The persons an enrolment may duplicate, for the officer to compare; each one shown is an audited view.</summary>
    public async Task<IReadOnlyList<PersonView>> CandidatesAsync(EnrolmentView enrolment, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOfficer || enrolment.DuplicateCandidates.Count == 0)
        {
            return [];
        }

        var ids = enrolment.DuplicateCandidates.ToList();
        var persons = await db.Persons.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.SearchName).ToListAsync(ct);
        foreach (var person in persons)
        {
            await audit.AppendAsync(new AuditEvent("registry.person.viewed", actor.UserName, person.NationalId, new Dictionary<string, string>
            {
                ["channel"] = actor.Channel,
                ["view"] = "duplicate-candidate",
                ["enrolment"] = enrolment.Id.ToString(),
            }), ct);
        }

        return persons.Select(PersonView.From).ToList();
    }

    /// <summary>Open enrolments (not issued or cancelled) at the actor's service points, newest first: the work queue of officers and supervisors.</summary>
    public async Task<IReadOnlyList<EnrolmentSummary>> OpenAsync(StaffActor actor, int take, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var open = db.Enrolments.AsNoTracking()
            .Where(e => e.Status == EnrolmentStatus.Draft || e.Status == EnrolmentStatus.Verified || e.Status == EnrolmentStatus.Approved);
        if (!actor.ReadsEverywhere)
        {
            var codes = actor.ServicePoints!.ToList();
            open = open.Where(e => codes.Contains(e.ServicePoint));
        }

        var rows = await open.OrderByDescending(e => e.CreatedAt).Take(take).ToListAsync(ct);
        return rows.Select(EnrolmentSummary.From).ToList();
    }

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

    /// <summary>The decrypted photo, for the officer comparing it with the person (the view is audited).</summary>
    public async Task<Outcome<FacePhoto>> PhotoAsync(Guid id, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOfficer)
        {
            return Outcome<FacePhoto>.Failure(EnrolmentErrors.Forbidden, "Only officers and supervisors see evidence photos.");
        }

        var record = await db.Enrolments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (record is not null && !actor.ActsFor(record.ServicePoint))
        {
            await RegistryScope.RefusedAsync(audit, actor, "enrolment-photo", id.ToString(), ct);
            record = null;
        }

        if (record?.PhotoCiphertext is null)
        {
            return Outcome<FacePhoto>.Failure(EnrolmentErrors.NotFound, "This enrolment has no photo.");
        }

        var content = cipher.Decrypt(record.PhotoCiphertext, PhotoContext(record.Id));
        await audit.AppendAsync(new AuditEvent("enrolment.photo.viewed", actor.UserName, id.ToString(),
            new Dictionary<string, string> { ["channel"] = actor.Channel }), ct);
        return new FacePhoto(record.PhotoContentType ?? "image/jpeg", content);
    }

    /// <summary>
    /// A change of particulars needs a person who holds a current eID (otherwise the person is enrolled for a new one) and
    /// new particulars that differ from the registry's.
    /// </summary>
    private async Task<EnrolmentError?> ChangeRefusalAsync(ValidEnrolment valid, Guid personId, CancellationToken ct)
    {
        if (!await db.Eids.AnyAsync(e => e.PersonId == personId && e.Status != EidStatus.Revoked, ct))
        {
            return new EnrolmentError(EnrolmentErrors.Validation,
                "This person holds no current eID: record an enrolment for a new eID instead of a change of particulars.", nameof(EnrolmentRequest.Purpose));
        }

        var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == personId, ct);
        var same = person.GivenNames == valid.GivenNames && person.Surname == valid.Surname && person.DateOfBirth == valid.DateOfBirth
            && person.PlaceOfBirth == valid.PlaceOfBirth && person.Nationality == valid.Nationality && person.Sex == valid.Sex;
        return same
            ? new EnrolmentError(EnrolmentErrors.Validation, "These particulars are the ones the registry holds: there is nothing to change.", nameof(EnrolmentRequest.Surname))
            : null;
    }

    /// <summary>The four-eyes rule is on (Enrolment:RequireSupervisorApproval).</summary>
    public bool SupervisorApprovalRequired => options.Value.RequireSupervisorApproval;

    private async Task<Guid[]> DuplicatesAsync(ValidEnrolment valid, Guid? personId, CancellationToken ct)
    {
        var searchName = SearchNames.Fold(valid.Surname, valid.GivenNames);
        var sameDocument = db.Enrolments.Where(e => e.PersonId != null && e.DocumentNumber == valid.DocumentNumber
            && e.DocumentIssuingState == valid.DocumentIssuingState && e.DocumentType == valid.DocumentType).Select(e => e.PersonId!.Value);
        var sameName = db.Persons.Where(p => p.DateOfBirth == valid.DateOfBirth && p.SearchName == searchName).Select(p => p.Id);
        var candidates = await sameDocument.Union(sameName).Distinct().ToListAsync(ct);
        return candidates.Where(c => c != personId).OrderBy(c => c).ToArray();
    }

    private void SealPhoto(EnrolmentRecord record, FacePhoto photo)
    {
        // The enrolment id is authenticated with the photo, so a ciphertext moved to another row does not decrypt.
        record.PhotoCiphertext = cipher.Encrypt(photo.Content, PhotoContext(record.Id));
        record.PhotoSha256 = SHA256.HashData(photo.Content);
        record.PhotoContentType = EnrolmentValidator.PhotoContentType(photo);
    }

    private static byte[] PhotoContext(Guid enrolmentId) => System.Text.Encoding.ASCII.GetBytes($"enrolment-photo:{enrolmentId:N}");

    private static Outcome<EnrolmentView> NotFound(Guid id) =>
        Outcome<EnrolmentView>.Failure(EnrolmentErrors.NotFound, $"No enrolment {id}.");

    /// <summary>A refusal worth auditing (role, state, four-eyes) as opposed to a typo in a field.</summary>
    private static EnrolmentError Refusal(string code, string message) => new(code, message);

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
