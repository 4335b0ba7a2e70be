using IdentityHub.Data.Accounts;

namespace IdentityHub.Enrolment;

/// <summary>Who performs an enrolment step: a signed-in staff member, or a counter device acting for one.</summary>
/// <param name="UserName">The staff account, as the audit log names it.</param>
/// <param name="Roles">The account's roles.</param>
/// <param name="Channel">"console", "api:{credential}" or "hubctl", for the audit log.</param>
public sealed record StaffActor(string UserName, IReadOnlySet<string> Roles, string Channel = "console")
{
    /// <summary>Supervisors may do everything an officer does.</summary>
    public bool IsOfficer => Roles.Contains(StaffRoles.Officer) || Roles.Contains(StaffRoles.Supervisor);

    public bool IsSupervisor => Roles.Contains(StaffRoles.Supervisor);

    /// <summary>May look up persons and their history.</summary>
    public bool MayView => IsOfficer || Roles.Contains(StaffRoles.Auditor);

    /// <summary>The operator's command line acts as the system with every enrolment role.</summary>
    public static StaffActor System(string name = "hubctl") =>
        new(name, new HashSet<string>(StringComparer.Ordinal) { StaffRoles.Officer, StaffRoles.Supervisor }, "hubctl");

    public override string ToString() => UserName;
}
