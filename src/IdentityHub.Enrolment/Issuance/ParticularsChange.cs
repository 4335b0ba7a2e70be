using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Pki;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Issuance;

/// <summary>
/// Applies an approved change of particulars (a name after marriage or a court order): the person gets a new version
/// on the enrolment's evidence, and the certificates of their current eID, which carry the old name, are replaced —
/// new keys and certificates with the new name on the same eID (same document number), the old certificates revoked
/// as superseded and kept as history. One transaction: the change, the certificates, the revocations (CRL re-signed
/// with them), the citizen's notice and the audit events commit together or not at all.
/// </summary>
public sealed class ParticularsChange(HubDbContext db, AuditLog audit, CitizenCredentials citizen, RevocationService revocation, TimeProvider time)
{
    /// <summary>The enrolment's state was checked by the caller under the row lock; <paramref name="keys"/> were made in the HSM before the transaction.</summary>
    internal async Task<Outcome<IssuedEid>> ApplyAsync(EnrolmentRecord enrolment, StaffActor actor, CitizenKeyPair keys, CancellationToken ct)
    {
        var person = await db.Persons.SingleAsync(p => p.Id == enrolment.PersonId, ct);
        var eid = await db.Eids.FromSql($"""SELECT * FROM registry.eids WHERE "PersonId" = {person.Id} AND "Status" <> {(int)EidStatus.Revoked} FOR UPDATE""")
            .SingleOrDefaultAsync(ct);
        if (eid is null || eid.Status != EidStatus.Active)
        {
            return new EnrolmentError(EnrolmentErrors.InvalidState, eid is null
                ? "This person no longer holds a current eID: cancel this enrolment and record one for a new eID."
                : "The person's eID is suspended: resume it before the change is applied (its new certificates would otherwise be valid at once).");
        }

        var now = time.GetUtcNow();
        var changed = PersonHistory.Update(db, person, enrolment, actor.UserName, now);
        var certificates = await citizen.SignAsync(person.GivenNames, person.Surname, person.NationalId, keys, ct);
        var old = await db.EidKeys.Where(k => k.EidId == eid.Id && k.RetiredAt == null).ToListAsync(ct);
        foreach (var key in old)
        {
            await revocation.RevokeAsync(key.CertificateSerial, RevocationReason.Superseded, key.CertificateIssuer, ct, actor.UserName);
            key.RetiredAt = now;
        }

        var (rows, notAfter, events) = citizen.Record(eid.Id, certificates, actor.UserName);
        db.EidKeys.AddRange(rows);
        eid.ExpiresAt = notAfter;
        eid.StatusChangedAt = now;
        eid.StatusChangedBy = actor.UserName;
        eid.StatusReason = "certificates replaced: change of particulars";
        enrolment.Status = EnrolmentStatus.Issued;
        enrolment.EidId = eid.Id;
        enrolment.IssuedBy = actor.UserName;
        enrolment.IssuedByAccountId = actor.AccountId;
        enrolment.IssuedAt = now;

        // The citizen's account shows the new name, and the citizen is told in their portal.
        var displayName = $"{person.GivenNames} {person.Surname}";
        await db.Users.Where(u => u.PersonId == person.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.DisplayName, displayName.Length > 200 ? displayName[..200] : displayName), ct);
        var notified = await AccountNotices.AddForPersonAsync(db, person.Id, "particulars-changed", now, new Dictionary<string, string>
        {
            ["fields"] = string.Join(' ', changed),
            ["servicePoint"] = enrolment.ServicePoint,
            ["eid"] = eid.DocumentNumber,
        }, ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync([.. events, new AuditEvent("person.particulars.changed", actor.UserName, person.NationalId, new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["enrolment"] = enrolment.Id.ToString(),
            ["fields"] = string.Join(' ', changed),
            ["version"] = person.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["eid"] = eid.DocumentNumber,
            ["supersededCertificates"] = string.Join(' ', old.Select(k => k.CertificateSerial)),
            ["holderNotified"] = notified ? "yes" : "no-account",
        })], ct);
        return new IssuedEid(eid.Id, enrolment.Id, person.NationalId, eid.DocumentNumber, eid.ExpiresAt, rows[0].CertificateSerial, rows[1].CertificateSerial)
        {
            ChangedParticulars = true,
        };
    }
}
