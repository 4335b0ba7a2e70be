using IdentityHub.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Data.Audit;

/// <summary>What `hubctl audit verify` found.</summary>
public sealed record AuditVerification(long Events, long? FirstBrokenSequence, string? Problem)
{
    public bool Intact => FirstBrokenSequence is null;
}

/// <summary>
/// Appends to and verifies the hash-chained audit log. Appends take a transaction-scoped advisory lock, so rows from
/// every node form one chain; they join the caller's transaction when there is one, so an event is recorded exactly
/// when the change it describes commits.
/// </summary>
public sealed class AuditLog(HubDbContext db, TimeProvider time)
{
    /// <summary>Arbitrary constant naming the audit chain's advisory lock.</summary>
    private const long ChainLock = 0x0A_0D_17_C4;

    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => AppendAsync([auditEvent], cancellationToken);

    /// <summary>Appends several events in order under one lock: the chain's lock is held only from here to the commit.</summary>
    public async Task AppendAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLock})", cancellationToken);
            var last = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            var sequence = last?.Sequence ?? 0;
            var previous = last?.Hash ?? AuditChain.Genesis;
            var now = time.GetUtcNow();
            foreach (var auditEvent in auditEvents)
            {
                var row = new AuditRecord
                {
                    Sequence = ++sequence,
                    // Microsecond precision: what PostgreSQL's timestamptz stores, so the hash recomputes exactly.
                    At = new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero),
                    Type = auditEvent.Type,
                    Actor = auditEvent.Actor,
                    Subject = auditEvent.Subject,
                    Details = AuditChain.CanonicalDetails(auditEvent.Details),
                    PreviousHash = previous,
                    Hash = [],
                };
                row.Hash = AuditChain.HashOf(row);
                previous = row.Hash;
                db.AuditEvents.Add(row);
            }

            // No savepoint around the insert (EF makes one inside a transaction it did not start): a failure here fails
            // the whole transaction anyway, and the two extra statements cost every append.
            var savepoints = db.Database.AutoSavepointsEnabled;
            db.Database.AutoSavepointsEnabled = false;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            finally
            {
                db.Database.AutoSavepointsEnabled = savepoints;
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    /// <summary>Walks the whole chain in order and names the first row that does not fit.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var expectedPrevious = AuditChain.Genesis;
        long expectedSequence = 1;
        long count = 0;
        await foreach (var row in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (row.Sequence != expectedSequence)
            {
                return new AuditVerification(count, expectedSequence, $"event #{expectedSequence} is missing (the next one is #{row.Sequence})");
            }

            if (!row.PreviousHash.AsSpan().SequenceEqual(expectedPrevious))
            {
                return new AuditVerification(count, row.Sequence, $"event #{row.Sequence} does not continue the chain (its previous hash differs)");
            }

            if (!row.Hash.AsSpan().SequenceEqual(AuditChain.HashOf(row)))
            {
                return new AuditVerification(count, row.Sequence, $"event #{row.Sequence} was altered (its content no longer matches its hash)");
            }

            expectedPrevious = row.Hash;
            expectedSequence++;
        }

        return new AuditVerification(count, null, null);
    }
}
