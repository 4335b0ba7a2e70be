using IdentityHub.Data;
using IdentityHub.Data.Registry;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Proofing;

internal static class EnrolmentRows
{
    /// <summary>SELECT … FOR UPDATE: two counters (or a retried request) acting on one enrolment take turns.</summary>
    public static Task<EnrolmentRecord?> LockAsync(HubDbContext db, Guid id, CancellationToken ct) =>
        db.Enrolments.FromSql($"""SELECT * FROM registry.enrolments WHERE "Id" = {id} FOR UPDATE""").SingleOrDefaultAsync(ct);
}
