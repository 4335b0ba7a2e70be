namespace IdentityHub.Data.Audit;

/// <summary>One row of the append-only, hash-chained audit log (schema "audit").</summary>
public sealed class AuditRecord
{
    /// <summary>1, 2, 3, … without gaps: a missing row is a broken chain.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Type { get; set; }

    public required string Actor { get; set; }

    public required string Subject { get; set; }

    /// <summary>Details as canonical JSON (keys sorted).</summary>
    public required string Details { get; set; }

    public required byte[] PreviousHash { get; set; }

    public required byte[] Hash { get; set; }
}
