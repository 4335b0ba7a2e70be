using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace IdentityHub.Authentication.Staff;

/// <summary>
/// Authorization policy names for the officer console. Use them on pages and folders, e.g.
/// <c>[Authorize(Policy = StaffPolicies.Officer)]</c>. A supervisor may do what an officer does; an admin manages
/// accounts but does not enrol (separation of duties).
/// </summary>
public static class StaffPolicies
{
    /// <summary>Any signed-in staff account.</summary>
    public const string Staff = "staff";

    /// <summary>Role officer or supervisor: enrol people, issue eIDs.</summary>
    public const string Officer = "staff.officer";

    /// <summary>Role supervisor: approve enrolments (four-eyes), suspend and revoke.</summary>
    public const string Supervisor = "staff.supervisor";

    /// <summary>Role auditor: read the audit log.</summary>
    public const string Auditor = "staff.auditor";

    /// <summary>Role admin: manage staff accounts.</summary>
    public const string Admin = "staff.admin";

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.All));
        options.AddPolicy(Officer, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Officer, StaffRoles.Supervisor));
        options.AddPolicy(Supervisor, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Supervisor));
        options.AddPolicy(Auditor, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Auditor));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin));
    }
}
