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
/// (nothing is written when a step is refused). Issuance is <see cref="Issuance.EidIssuer"/>'s job. This file is the
/// intake (recording an enrolment); the review steps are in EnrolmentService.Review.cs, the audited reads in
/// EnrolmentService.Reads.cs.
/// </summary>
public sealed partial class EnrolmentService(HubDbContext db, AuditLog audit, EvidenceCipher cipher, TimeProvider time, IOptions<EnrolmentOptions> options)
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
}
