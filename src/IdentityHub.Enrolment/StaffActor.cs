using IdentityHub.Data.Accounts;

namespace IdentityHub.Enrolment;

/// <summary>
/// Who performs an enrolment step: a signed-in staff member (console), an officer signed in on a counter device (API),
/// or the operator's command line. What they may touch is their roles and their scope (docs/enrolment.md, "Who may
/// touch what"): officers and supervisors act for the service points they are assigned to; the national helpdesk and
/// auditors read everywhere; hubctl acts everywhere.
/// </summary>
/// <param name="UserName">The staff account, as the audit log names it.</param>
/// <param name="Roles">The account's roles.</param>
/// <param name="Channel">"console", "api:{device}@{service point}" or "hubctl", for the audit log.</param>
public sealed record StaffActor(string UserName, IReadOnlySet<string> Roles, string Channel = "console")
{
    /// <summary>The staff account; the four-eyes rule compares these, never names. Null for hubctl.</summary>
    public Guid? AccountId { get; init; }

    /// <summary>
    /// The service points this actor acts for: the one counter device's in the API, the assigned ones in the console;
    /// null for the operator's command line, which acts everywhere.
    /// </summary>
    public IReadOnlySet<string>? ServicePoints { get; init; }

    /// <summary>Supervisors may do everything an officer does.</summary>
    public bool IsOfficer => Roles.Contains(StaffRoles.Officer) || Roles.Contains(StaffRoles.Supervisor);

    public bool IsSupervisor => Roles.Contains(StaffRoles.Supervisor);

    /// <summary>The national helpdesk: reads every record and suspends or resumes any eID (a lost card reported by phone).</summary>
    public bool IsHelpdesk => Roles.Contains(StaffRoles.Helpdesk);

    /// <summary>May look up persons, enrolments and eIDs (within <see cref="ReadsEverywhere"/> or the scope).</summary>
    public bool MayView => IsOfficer || IsHelpdesk || Roles.Contains(StaffRoles.Auditor);

    /// <summary>Reads every record in the country: the helpdesk, auditors and hubctl (every look is audited).</summary>
    public bool ReadsEverywhere => ServicePoints is null || IsHelpdesk || Roles.Contains(StaffRoles.Auditor);

    /// <summary>Whether this actor acts as an officer for <paramref name="servicePoint"/>.</summary>
    public bool ActsFor(string servicePoint) => ServicePoints is null || ServicePoints.Contains(servicePoint);

    /// <summary>Whether the account that did an earlier step is this actor (by account id; by name only for rows without one).</summary>
    public bool Is(Guid? accountId, string? userName) =>
        accountId is { } id && AccountId is { } mine ? id == mine : string.Equals(userName, UserName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The operator's command line acts as the system with every enrolment role, everywhere.</summary>
    public static StaffActor System(string name = "hubctl") =>
        new(name, new HashSet<string>(StringComparer.Ordinal) { StaffRoles.Officer, StaffRoles.Supervisor }, "hubctl");

    public override string ToString() => UserName;
}
