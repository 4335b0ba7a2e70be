using IdentityHub.Data.Accounts;
using IdentityHub.Authentication.Sessions;
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

    /// <summary>
    /// Role supervisor: approve enrolments another account recorded and verified (four eyes), replace the eID of a citizen
    /// who has an account and print its letter. Suspending and revoking are open to officers too (<see cref="Registry"/>).
    /// </summary>
    public const string Supervisor = "staff.supervisor";

    /// <summary>Roles officer, supervisor or helpdesk: look up eIDs (the helpdesk everywhere, officers at their service points) and change their status.</summary>
    public const string Registry = "staff.registry";

    /// <summary>Role auditor: read the audit log (and, like every staff role, find and read person records through <see cref="StaffPolicies.Staff"/>).</summary>
    public const string Auditor = "staff.auditor";

    /// <summary>Role admin: manage staff accounts.</summary>
    public const string Admin = "staff.admin";

    /// <summary>Any staff session, also one in set-up mode (change password, add an authenticator).</summary>
    public const string Setup = "staff.setup";

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Setup, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.All));
        // Every other console page needs a session that used a second factor (level substantial or above).
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.All).RequireAssertion(c => SecondFactorUsed(c.User)));
        options.AddPolicy(Officer, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Officer, StaffRoles.Supervisor).RequireAssertion(c => SecondFactorUsed(c.User)));
        options.AddPolicy(Registry, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Officer, StaffRoles.Supervisor, StaffRoles.Helpdesk).RequireAssertion(c => SecondFactorUsed(c.User)));
        options.AddPolicy(Supervisor, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Supervisor).RequireAssertion(c => SecondFactorUsed(c.User)));
        options.AddPolicy(Auditor, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Auditor).RequireAssertion(c => SecondFactorUsed(c.User)));
        // Admins must have used a passkey in this session.
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin)
            .RequireAssertion(c => SecondFactorUsed(c.User) && c.User.HasClaim(x => x.Type == HubClaimTypes.Amr && x.Value is "hwk" or "swk")));
    }

    private static bool SecondFactorUsed(System.Security.Claims.ClaimsPrincipal user) =>
        user.LevelOf() >= Assurance.LevelOfAssurance.Substantial && user.SetupRequiredOf() is null;
}
