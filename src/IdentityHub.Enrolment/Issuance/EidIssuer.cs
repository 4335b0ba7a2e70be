using IdentityHub.Core.Audit;
using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdentityHub.Enrolment.Issuance;

/// <summary>
/// Issues a national eID for an approved enrolment. Keys are generated in the HSM first (nothing is stored by that);
/// then one transaction creates or updates the person, records both certificates, the eID, its wrapped keys, the
/// enrolment's new state and the audit events. A failure anywhere leaves no half-issued eID: the transaction rolls back,
/// the wrapped keys are dropped with it, and a certificate that was signed but never recorded is unknown to OCSP.
/// </summary>
public sealed class EidIssuer(
    HubDbContext db,
    AuditLog audit,
    CitizenCredentials citizen,
    ParticularsChange particulars,
    IIssuanceObserver observer,
    TimeProvider time,
    IOptions<EnrolmentOptions> options)
{
    public async Task<Outcome<IssuedEid>> IssueAsync(Guid enrolmentId, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var precheck = await db.Enrolments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == enrolmentId, ct);
        var refusal = precheck is null || !actor.ActsFor(precheck.ServicePoint)
            ? new EnrolmentError(EnrolmentErrors.NotFound, $"No enrolment {enrolmentId}.")
            : await RefusalAsync(precheck, actor, ct);
        if (refusal is not null)
        {
            await AuditRefusalAsync(enrolmentId, actor, refusal, ct);
            return refusal;
        }

        var keys = citizen.GenerateKeys();
        await observer.StepCompletedAsync(IssuanceStep.KeysGenerated, ct);
        if (precheck!.Purpose == EnrolmentPurpose.ChangeOfParticulars)
        {
            return await ChangeParticularsAsync(enrolmentId, actor, keys, ct);
        }

        var existingNationalId = precheck!.PersonId is { } existing
            ? await db.Persons.Where(p => p.Id == existing).Select(p => p.NationalId).SingleAsync(ct)
            : null;

        for (var attempt = 1; ; attempt++)
        {
            // Certificates are signed before the transaction, so the HSM's time is not spent holding database locks.
            var nationalId = existingNationalId ?? NationalId.NewId().Value;
            var certificates = await citizen.SignAsync(precheck.GivenNames, precheck.Surname, nationalId, keys, ct);
            try
            {
                return await RecordAsync(enrolmentId, actor, certificates, nationalId, ct);
            }
            catch (DbUpdateException ex) when (Constraint(ex) is "IX_persons_NationalId" or "IX_eids_DocumentNumber" && attempt < 3)
            {
                // A random national id or document number met an existing one: draw again (and sign again).
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateException ex) when (Constraint(ex) is "IX_eids_PersonId_current")
            {
                // Another counter issued this person an eID between our check and our commit.
                db.ChangeTracker.Clear();
                var error = new EnrolmentError(EnrolmentErrors.ActiveEidExists, "This person already holds an eID: suspend, revoke or replace that one first.");
                await AuditRefusalAsync(enrolmentId, actor, error, ct);
                return error;
            }
        }
    }

    /// <summary>An approved change of particulars: the person's new version and new certificates on their current eID.</summary>
    private async Task<Outcome<IssuedEid>> ChangeParticularsAsync(Guid enrolmentId, StaffActor actor, CitizenKeyPair keys, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var enrolment = await EnrolmentRows.LockAsync(db, enrolmentId, ct)
            ?? throw new InvalidOperationException($"Enrolment {enrolmentId} disappeared during issuance.");
        var refusal = await RefusalAsync(enrolment, actor, ct);
        var outcome = refusal is null ? await particulars.ApplyAsync(enrolment, actor, keys, ct) : refusal;
        if (!outcome.Succeeded)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            await AuditRefusalAsync(enrolmentId, actor, outcome.Errors[0], ct);
            return outcome;
        }

        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return outcome;
    }

    private async Task<Outcome<IssuedEid>> RecordAsync(Guid enrolmentId, StaffActor actor, CitizenCertificates certificates, string nationalId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var enrolment = await EnrolmentRows.LockAsync(db, enrolmentId, ct)
            ?? throw new InvalidOperationException($"Enrolment {enrolmentId} disappeared during issuance.");
        if (await RefusalAsync(enrolment, actor, ct) is { } refusal)
        {
            // Someone else issued or cancelled it while the keys were generated.
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            await AuditRefusalAsync(enrolmentId, actor, refusal, ct);
            return refusal;
        }

        var now = time.GetUtcNow();
        PersonRecord person;
        if (enrolment.PersonId is { } personId)
        {
            person = await db.Persons.SingleAsync(p => p.Id == personId, ct);
            PersonHistory.Update(db, person, enrolment, actor.UserName, now);
        }
        else
        {
            person = PersonHistory.Create(db, enrolment, nationalId, actor.UserName, now);
        }

        var eidId = Guid.CreateVersion7(now);
        var (keyRows, notAfter, certificateEvents) = citizen.Record(eidId, certificates, actor.UserName);
        await observer.StepCompletedAsync(IssuanceStep.CertificatesIssued, ct);

        var eid = new EidRecord
        {
            Id = eidId,
            PersonId = person.Id,
            DocumentNumber = DocumentNumbers.New(),
            Status = EidStatus.Active,
            IssuedAt = now,
            ExpiresAt = notAfter,
            IssuedBy = actor.UserName,
            ServicePoint = enrolment.ServicePoint,
            EnrolmentId = enrolment.Id,
            StatusChangedAt = now,
            StatusChangedBy = actor.UserName,
        };
        db.Eids.Add(eid);
        db.EidKeys.AddRange(keyRows);
        enrolment.Status = EnrolmentStatus.Issued;
        enrolment.PersonId = person.Id;
        enrolment.EidId = eid.Id;
        enrolment.IssuedBy = actor.UserName;
        enrolment.IssuedByAccountId = actor.AccountId;
        enrolment.IssuedAt = now;
        await db.SaveChangesAsync(ct);
        // The audit chain's lock is taken last, for the shortest time: only these appends and the commit hold it.
        await audit.AppendAsync([.. certificateEvents, new AuditEvent("eid.issued", actor.UserName, person.NationalId, new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["eid"] = eid.DocumentNumber,
            ["enrolment"] = enrolment.Id.ToString(),
            ["authCertificate"] = keyRows[0].CertificateSerial,
            ["signCertificate"] = keyRows[1].CertificateSerial,
        })], ct);
        await observer.StepCompletedAsync(IssuanceStep.EidRecorded, ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new IssuedEid(eid.Id, enrolment.Id, person.NationalId, eid.DocumentNumber, eid.ExpiresAt, keyRows[0].CertificateSerial, keyRows[1].CertificateSerial);
    }

    private async Task<EnrolmentError?> RefusalAsync(EnrolmentRecord enrolment, StaffActor actor, CancellationToken ct)
    {
        if (!actor.IsOfficer)
        {
            return new EnrolmentError(EnrolmentErrors.Forbidden, "Only officers and supervisors issue eIDs.");
        }

        var ready = enrolment.Status == EnrolmentStatus.Approved
            || (enrolment.Status == EnrolmentStatus.Verified && !options.Value.RequireSupervisorApproval);
        if (!ready)
        {
            return new EnrolmentError(EnrolmentErrors.InvalidState, enrolment.Status switch
            {
                EnrolmentStatus.Issued => "An eID was already issued for this enrolment.",
                EnrolmentStatus.Cancelled => "This enrolment was cancelled.",
                _ when options.Value.RequireSupervisorApproval => "A supervisor must approve this enrolment before the eID is issued.",
                _ => "The evidence must be verified before the eID is issued.",
            });
        }

        if (enrolment.Purpose == EnrolmentPurpose.NewEid && enrolment.PersonId is { } personId
            && await db.Eids.AnyAsync(e => e.PersonId == personId && e.Status != EidStatus.Revoked, ct))
        {
            return new EnrolmentError(EnrolmentErrors.ActiveEidExists, "This person already holds an eID: suspend, revoke or replace that one first.");
        }

        return null;
    }

    private Task AuditRefusalAsync(Guid enrolmentId, StaffActor actor, EnrolmentError error, CancellationToken ct) =>
        audit.AppendAsync(new AuditEvent("eid.issue.refused", actor.UserName, enrolmentId.ToString(), new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["error"] = error.Code,
        }), ct);

    private static string? Constraint(DbUpdateException ex) => (ex.InnerException as PostgresException)?.ConstraintName;
}
