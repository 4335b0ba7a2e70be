using System.Security.Claims;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Enrolment;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace IdentityHub.Server.OfficerConsole;

/// <summary>Bridges the signed-in staff member to the enrolment services and their errors to the page's fields.</summary>
internal static class ConsoleActors
{
    /// <summary>
    /// The signed-in staff member as an actor: their account, roles and the service points they were assigned to when the
    /// session began (docs/enrolment.md, "Who may touch what").
    /// </summary>
    public static StaffActor ToStaffActor(this ClaimsPrincipal user)
    {
        var identity = user.Identity as ClaimsIdentity;
        var roleType = identity?.RoleClaimType ?? ClaimTypes.Role;
        var roles = user.Claims.Where(c => c.Type == roleType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new StaffActor(user.Identity?.Name ?? throw new InvalidOperationException("No signed-in staff member."), roles, "console")
        {
            AccountId = user.AccountIdOf(),
            ServicePoints = user.FindAll(HubClaimTypes.ServicePoint).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>Each error goes next to its field; one without a field goes to the summary only.</summary>
    public static void AddErrors(this ModelStateDictionary modelState, IReadOnlyList<EnrolmentError> errors)
    {
        foreach (var error in errors)
        {
            modelState.AddModelError(error.Field ?? "main", error.Message);
        }
    }
}
