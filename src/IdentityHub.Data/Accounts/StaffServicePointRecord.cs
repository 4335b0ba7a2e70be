namespace IdentityHub.Data.Accounts;

/// <summary>
/// A staff member's assignment to a service point: an officer or supervisor acts for the service points they are
/// assigned to, and signs in on a counter device only at one of them.
/// </summary>
public sealed class StaffServicePointRecord
{
    public Guid AccountId { get; set; }

    public required string ServicePoint { get; set; }

    public DateTimeOffset AssignedAt { get; set; }

    public required string AssignedBy { get; set; }
}
