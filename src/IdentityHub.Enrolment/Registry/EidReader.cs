using IdentityHub.Data;
using IdentityHub.Data.Registry;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Registry;

internal static class EidReader
{
    public static async Task<IReadOnlyList<EidView>> ForPersonAsync(HubDbContext db, Guid personId, CancellationToken ct)
    {
        var eids = await db.Eids.AsNoTracking().Where(e => e.PersonId == personId).OrderByDescending(e => e.IssuedAt).ToListAsync(ct);
        var ids = eids.Select(e => e.Id).ToList();
        var keys = await db.EidKeys.AsNoTracking().Where(k => ids.Contains(k.EidId)).OrderBy(k => k.Id).ToListAsync(ct);
        return eids.Select(e => View(e, keys.Where(k => k.EidId == e.Id))).ToList();
    }

    public static async Task<EidView?> ByDocumentNumberAsync(HubDbContext db, string documentNumber, CancellationToken ct)
    {
        var number = documentNumber.Trim().ToUpperInvariant();
        var eid = await db.Eids.AsNoTracking().SingleOrDefaultAsync(e => e.DocumentNumber == number, ct);
        if (eid is null)
        {
            return null;
        }

        var keys = await db.EidKeys.AsNoTracking().Where(k => k.EidId == eid.Id).OrderBy(k => k.Id).ToListAsync(ct);
        return View(eid, keys);
    }

    public static EidView View(EidRecord e, IEnumerable<EidKeyRecord> keys) =>
        new(e.Id, e.PersonId, e.DocumentNumber, e.Status, e.IssuedAt, e.ExpiresAt, e.IssuedBy, e.ServicePoint, e.StatusChangedAt,
            e.StatusChangedBy, e.StatusReason, e.ActivatedAt, e.LetterPrintedAt, e.ReplacesEidId,
            keys.Select(k => new EidKeyView(k.Purpose, k.Algorithm, k.CertificateIssuer, k.CertificateSerial, k.CreatedAt, k.RetiredAt)).ToList());
}
