using IdentityHub.Core.Identity;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Lifecycle;

/// <summary>
/// An eID's life after issue: suspend, resume, revoke, renew, replace, and printing the activation letter. Each step
/// locks the eID row, changes the certificates through the PKI's revocation service (which re-signs the CRL in the same
/// transaction, so OCSP and CRL show it when the call returns), updates the eID and audits it, all in one transaction.
/// Nothing is deleted: revoked eIDs, retired keys and their certificates stay as history and evidence.
/// </summary>
public sealed class EidLifecycle(
    HubDbContext db,
    AuditLog audit,
    RevocationService revocation,
    CitizenCredentials citizen,
    TimeProvider time,
    IOptions<EnrolmentOptions> options)
{
    /// <summary>The RFC 5280 reasons an officer may give; certificateHold is what suspension uses, CA compromise is not an eID matter.</summary>
    public static readonly IReadOnlyList<RevocationReason> OfficerReasons =
    [
        RevocationReason.Unspecified, RevocationReason.KeyCompromise, RevocationReason.AffiliationChanged,
        RevocationReason.Superseded, RevocationReason.CessationOfOperation, RevocationReason.PrivilegeWithdrawn,
    ];

    public async Task<Outcome<EidView>> GetAsync(string documentNumber, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.MayView)
        {
            return Outcome<EidView>.Failure(EnrolmentErrors.Forbidden, "Your role does not allow viewing eIDs.");
        }

        var view = await EidReader.ByDocumentNumberAsync(db, documentNumber ?? string.Empty, ct);
        if (view is null)
        {
            return NotFound(documentNumber);
        }

        if (!await RegistryScope.MayReadPersonAsync(db, actor, view.PersonId, ct))
        {
            await RegistryScope.RefusedAsync(audit, actor, "eid", view.DocumentNumber, ct);
            return NotFound(documentNumber);
        }

        await audit.AppendAsync(new AuditEvent("registry.eid.viewed", actor.UserName, view.DocumentNumber,
            new Dictionary<string, string> { ["channel"] = actor.Channel }), ct);
        return view;
    }

    /// <summary>
    /// The person an eID belongs to, for the eID page and its confirmation pages. Call it only with a view
    /// <see cref="GetAsync"/> returned: that call checked the officer may read this person and audited the look.
    /// </summary>
    public async Task<PersonView?> HolderAsync(EidView eid, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(eid);
        var person = await db.Persons.AsNoTracking().SingleOrDefaultAsync(p => p.Id == eid.PersonId, ct);
        return person is null ? null : PersonView.From(person);
    }

    public Task<Outcome<EidView>> SuspendAsync(string documentNumber, string reason, StaffActor actor, CancellationToken ct) =>
        StepAsync(documentNumber, actor, "eid.suspended", reason, async (eid, keys) =>
        {
            if (RequireReason(reason) is { } missing)
            {
                return missing;
            }

            if (eid.Status != EidStatus.Active)
            {
                return State($"Only an active eID can be suspended; this one is {Name(eid.Status)}.");
            }

            foreach (var key in keys)
            {
                await revocation.SuspendAsync(key.CertificateSerial, key.CertificateIssuer, ct, actor.UserName);
            }

            eid.Status = EidStatus.Suspended;
            return null;
        }, ct, helpdeskMay: true);

    public Task<Outcome<EidView>> ResumeAsync(string documentNumber, string reason, StaffActor actor, CancellationToken ct) =>
        StepAsync(documentNumber, actor, "eid.resumed", reason, async (eid, keys) =>
        {
            if (RequireReason(reason) is { } missing)
            {
                return missing;
            }

            if (eid.Status != EidStatus.Suspended)
            {
                return State($"Only a suspended eID can be resumed; this one is {Name(eid.Status)}.");
            }

            foreach (var key in keys)
            {
                await revocation.ResumeAsync(key.CertificateSerial, key.CertificateIssuer, ct, actor.UserName);
            }

            eid.Status = EidStatus.Active;
            return null;
        }, ct, helpdeskMay: true);

    public Task<Outcome<EidView>> RevokeAsync(string documentNumber, RevocationReason reason, string note, StaffActor actor, CancellationToken ct) =>
        StepAsync(documentNumber, actor, "eid.revoked", $"{reason}: {note}", async (eid, keys) =>
        {
            if (!OfficerReasons.Contains(reason))
            {
                return new EnrolmentError(EnrolmentErrors.Validation, "Choose a revocation reason from the list.", "Reason");
            }

            if (RequireReason(note, "Note") is { } missing)
            {
                return missing;
            }

            if (eid.Status == EidStatus.Revoked)
            {
                return State("This eID is already revoked.");
            }

            foreach (var key in keys)
            {
                await revocation.RevokeAsync(key.CertificateSerial, reason, key.CertificateIssuer, ct, actor.UserName);
            }

            eid.Status = EidStatus.Revoked;
            return null;
        }, ct);

    /// <summary>New keys and certificates for the same eID; the old certificates are revoked as superseded.</summary>
    public Task<Outcome<EidView>> RenewAsync(string documentNumber, StaffActor actor, CancellationToken ct) =>
        StepAsync(documentNumber, actor, "eid.renewed", "renewal", async (eid, keys) =>
        {
            if (eid.Status != EidStatus.Active)
            {
                return State($"Only an active eID can be renewed; this one is {Name(eid.Status)}.");
            }

            var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == eid.PersonId, ct);
            var fresh = citizen.GenerateKeys();
            foreach (var key in keys)
            {
                await revocation.RevokeAsync(key.CertificateSerial, RevocationReason.Superseded, key.CertificateIssuer, ct, actor.UserName);
                key.RetiredAt = time.GetUtcNow();
            }

            var (rows, notAfter, events) = await citizen.CertifyAsync(eid.Id, person, fresh, actor.UserName, ct);
            db.EidKeys.AddRange(rows);
            eid.ExpiresAt = notAfter;
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(events, ct);
            return null;
        }, ct);

    /// <summary>
    /// After loss: the old eID is revoked (key compromise by default: whoever holds the lost factors might have used them)
    /// and a new eID with a new document number, new keys and certificates is issued to the same person, in one transaction.
    /// The new eID's activation letter resets the holder's sign-in, so when the holder has an account only a supervisor
    /// replaces the eID (an officer alone could otherwise take the account over), and the holder is notified.
    /// </summary>
    public async Task<Outcome<EidView>> ReplaceAsync(string documentNumber, RevocationReason reason, string note, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOfficer)
        {
            return Outcome<EidView>.Failure(EnrolmentErrors.Forbidden, "Only officers and supervisors replace eIDs.");
        }

        if (!OfficerReasons.Contains(reason))
        {
            return Outcome<EidView>.Failure(EnrolmentErrors.Validation, "Choose a revocation reason from the list.", "Reason");
        }

        if (RequireReason(note, "Note") is { } missing)
        {
            return missing;
        }

        // Keys first (HSM only, nothing stored); then the old eID's revocation and the new eID commit together or not at all.
        var fresh = citizen.GenerateKeys();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var old = await LockAsync(documentNumber, ct);
        if (old is null)
        {
            return NotFound(documentNumber);
        }

        if (!await RegistryScope.MayActOnPersonAsync(db, actor, old.PersonId, ct))
        {
            await tx.RollbackAsync(ct);
            await RegistryScope.RefusedAsync(audit, actor, "eid.replaced", old.DocumentNumber, ct);
            return NotFound(documentNumber);
        }

        if (old.Status == EidStatus.Revoked)
        {
            return State("This eID is already revoked: enrol the person again to issue a new one.");
        }

        var holderHasAccount = await db.Users.AnyAsync(u => u.PersonId == old.PersonId, ct);
        if (holderHasAccount && !actor.IsSupervisor)
        {
            await tx.RollbackAsync(ct);
            await RefusedStepAsync(actor, old.DocumentNumber, "eid.replaced", EnrolmentErrors.SupervisorRequired, ct);
            return Outcome<EidView>.Failure(EnrolmentErrors.SupervisorRequired,
                "This citizen has an account, which the new eID's activation letter would reset: a supervisor must replace the eID.");
        }

        var now = time.GetUtcNow();
        var oldKeys = await db.EidKeys.Where(k => k.EidId == old.Id && k.RetiredAt == null).ToListAsync(ct);
        foreach (var key in oldKeys)
        {
            await revocation.RevokeAsync(key.CertificateSerial, reason, key.CertificateIssuer, ct, actor.UserName);
        }

        old.Status = EidStatus.Revoked;
        old.StatusChangedAt = now;
        old.StatusChangedBy = actor.UserName;
        old.StatusReason = $"{reason}: replaced: {note.Trim()}";
        await db.SaveChangesAsync(ct); // before the insert: the one-current-eID index must see the old one revoked

        var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == old.PersonId, ct);
        var eid = new EidRecord
        {
            Id = Guid.CreateVersion7(now),
            PersonId = person.Id,
            DocumentNumber = DocumentNumbers.New(),
            Status = EidStatus.Active,
            IssuedAt = now,
            IssuedBy = actor.UserName,
            ServicePoint = old.ServicePoint,
            ReplacesEidId = old.Id,
            StatusChangedAt = now,
            StatusChangedBy = actor.UserName,
        };
        var (rows, notAfter, events) = await citizen.CertifyAsync(eid.Id, person, fresh, actor.UserName, ct);
        eid.ExpiresAt = notAfter;
        db.Eids.Add(eid);
        db.EidKeys.AddRange(rows);
        var notified = await AccountNotices.AddForPersonAsync(db, person.Id, "eid-replaced", now, new Dictionary<string, string>
        {
            ["old"] = old.DocumentNumber,
            ["new"] = eid.DocumentNumber,
            ["servicePoint"] = eid.ServicePoint,
        }, ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync([.. events, new AuditEvent("eid.replaced", actor.UserName, person.NationalId, new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["old"] = old.DocumentNumber,
            ["new"] = eid.DocumentNumber,
            ["reason"] = reason.ToString(),
            ["holderNotified"] = notified ? "yes" : "no-account",
        })], ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return EidReader.View(eid, rows);
    }

    /// <summary>
    /// Prints (or re-prints) the activation letter: a fresh one-time code whose hash replaces the previous one, so only
    /// the last letter printed works. Refused once the eID is activated or when it is not active.
    /// </summary>
    public async Task<Outcome<ActivationLetterContent>> PrintLetterAsync(string documentNumber, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOfficer)
        {
            return Outcome<ActivationLetterContent>.Failure(EnrolmentErrors.Forbidden, "Only officers and supervisors print activation letters.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var eid = await LockAsync(documentNumber, ct);
        if (eid is null)
        {
            return Outcome<ActivationLetterContent>.Failure(EnrolmentErrors.NotFound, $"No eID has document number {documentNumber}.");
        }

        if (!await RegistryScope.MayActOnPersonAsync(db, actor, eid.PersonId, ct))
        {
            await tx.RollbackAsync(ct);
            await RegistryScope.RefusedAsync(audit, actor, "eid.letter.printed", eid.DocumentNumber, ct);
            return Outcome<ActivationLetterContent>.Failure(EnrolmentErrors.NotFound, $"No eID has document number {documentNumber}.");
        }

        // A letter for a replacement eID resets the holder's existing account when used: the takeover path after a
        // replacement, so only a supervisor prints it, and the holder is told.
        var holderHasAccount = await db.Users.AnyAsync(u => u.PersonId == eid.PersonId, ct);
        if (holderHasAccount && !actor.IsSupervisor)
        {
            await tx.RollbackAsync(ct);
            await RefusedStepAsync(actor, eid.DocumentNumber, "eid.letter.printed", EnrolmentErrors.SupervisorRequired, ct);
            return Outcome<ActivationLetterContent>.Failure(EnrolmentErrors.SupervisorRequired,
                "This citizen has an account, which this letter would reset: a supervisor must print it.");
        }

        if (eid.Status != EidStatus.Active || eid.ActivatedAt is not null)
        {
            return Outcome<ActivationLetterContent>.Failure(EnrolmentErrors.InvalidState, eid.ActivatedAt is not null
                ? "This eID is already activated: no activation letter is needed."
                : $"An activation letter is printed only for an active eID; this one is {Name(eid.Status)}.");
        }

        var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == eid.PersonId, ct);
        var now = time.GetUtcNow();
        var code = ActivationCodes.New();
        eid.ActivationCodeHash = ActivationCodes.Hash(eid.Id, code);
        eid.ActivationCodeExpiresAt = now + options.Value.ActivationCodeLifetime;
        eid.ActivationFailedAttempts = 0;
        var reprint = eid.LetterPrintedAt is not null;
        eid.LetterPrintedAt = now;
        var notified = holderHasAccount && await AccountNotices.AddForPersonAsync(db, person.Id, "activation-letter-printed", now,
            new Dictionary<string, string> { ["eid"] = eid.DocumentNumber, ["servicePoint"] = eid.ServicePoint }, ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("eid.letter.printed", actor.UserName, person.NationalId, new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["eid"] = eid.DocumentNumber,
            ["reprint"] = reprint ? "yes" : "no",
            ["holderNotified"] = notified ? "yes" : "no-account",
        }), ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new ActivationLetterContent(person.GivenNames, person.Surname, person.NationalId, eid.DocumentNumber, code,
            eid.ActivationCodeExpiresAt.Value, now, eid.ServicePoint);
    }

    /// <param name="helpdeskMay">The national helpdesk may take this step for any eID (suspend and resume: a lost card reported by phone).</param>
    private async Task<Outcome<EidView>> StepAsync(string documentNumber, StaffActor actor, string auditType, string reason,
        Func<EidRecord, List<EidKeyRecord>, Task<EnrolmentError?>> change, CancellationToken ct, bool helpdeskMay = false)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var asHelpdesk = helpdeskMay && actor.IsHelpdesk;
        if (!actor.IsOfficer && !asHelpdesk)
        {
            return Outcome<EidView>.Failure(EnrolmentErrors.Forbidden, helpdeskMay
                ? "Only officers, supervisors and the helpdesk change an eID's status."
                : "Only officers and supervisors change an eID's status.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var eid = await LockAsync(documentNumber, ct);
        if (eid is null)
        {
            return NotFound(documentNumber);
        }

        if (!asHelpdesk && !await RegistryScope.MayActOnPersonAsync(db, actor, eid.PersonId, ct))
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            await RegistryScope.RefusedAsync(audit, actor, auditType, eid.DocumentNumber, ct);
            return NotFound(documentNumber);
        }

        var keys = await db.EidKeys.Where(k => k.EidId == eid.Id && k.RetiredAt == null).OrderBy(k => k.Purpose).ToListAsync(ct);
        var error = await change(eid, keys);
        if (error is not null)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            if (error.Code != EnrolmentErrors.Validation)
            {
                await RefusedStepAsync(actor, eid.DocumentNumber, auditType, error.Code, ct);
            }

            return error;
        }

        eid.StatusChangedAt = time.GetUtcNow();
        eid.StatusChangedBy = actor.UserName;
        eid.StatusReason = reason.Trim();
        await db.SaveChangesAsync(ct);
        var nationalId = await db.Persons.Where(p => p.Id == eid.PersonId).Select(p => p.NationalId).SingleAsync(ct);
        await audit.AppendAsync(new AuditEvent(auditType, actor.UserName, nationalId, new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["eid"] = eid.DocumentNumber,
            ["reason"] = reason.Trim(),
        }), ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        var allKeys = await db.EidKeys.AsNoTracking().Where(k => k.EidId == eid.Id).OrderBy(k => k.Id).ToListAsync(ct);
        return EidReader.View(eid, allKeys);
    }

    private Task RefusedStepAsync(StaffActor actor, string documentNumber, string step, string error, CancellationToken ct) =>
        audit.AppendAsync(new AuditEvent("eid.step.refused", actor.UserName, documentNumber, new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["step"] = step,
            ["error"] = error,
        }), ct);

    private Task<EidRecord?> LockAsync(string documentNumber, CancellationToken ct)
    {
        var number = (documentNumber ?? string.Empty).Trim().ToUpperInvariant();
        return db.Eids.FromSql($"""SELECT * FROM registry.eids WHERE "DocumentNumber" = {number} FOR UPDATE""").SingleOrDefaultAsync(ct);
    }

    private static EnrolmentError? RequireReason(string reason, string field = "Reason") =>
        string.IsNullOrWhiteSpace(reason) || reason.Length > 1000
            ? new EnrolmentError(EnrolmentErrors.Validation, "Give the reason (at most 1000 characters).", field)
            : null;

    private static EnrolmentError State(string message) => new(EnrolmentErrors.InvalidState, message);

    private static string Name(EidStatus status) => status.ToString().ToLowerInvariant();

    private static Outcome<EidView> NotFound(string? documentNumber) =>
        Outcome<EidView>.Failure(EnrolmentErrors.NotFound, $"No eID has document number {documentNumber}.");
}

/// <summary>What goes on an activation letter; the code is shown here once and never stored in clear.</summary>
public sealed record ActivationLetterContent(string GivenNames, string Surname, string NationalId, string DocumentNumber, string ActivationCode,
    DateTimeOffset CodeExpiresAt, DateTimeOffset PrintedAt, string ServicePoint);
