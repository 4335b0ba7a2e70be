using System.Security.Claims;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Sessions;

/// <summary>Claims the hub adds to a staff session besides Identity's name, id and roles.</summary>
public static class HubClaimTypes
{
    public const string DisplayName = "hub:display_name";

    /// <summary>Present (value "true") while the account still holds its one-time password.</summary>
    public const string MustChangePassword = "hub:must_change_password";

    /// <summary>The session's id (accounts.sessions), as OpenID Connect front-channel logout names it.</summary>
    public const string SessionId = "sid";

    /// <summary>The session's level of assurance (an eIDAS URI), as OpenID Connect names it.</summary>
    public const string Acr = "acr";

    /// <summary>RFC 8176 authentication method references, one claim each.</summary>
    public const string Amr = "amr";

    /// <summary>"citizen" or "staff".</summary>
    public const string Audience = "hub:audience";

    /// <summary>
    /// Present while the account must still set up an authenticator before anything else opens: "second-factor" (none
    /// yet) or "passkey" (an admin without a passkey).
    /// </summary>
    public const string SetupRequired = "hub:setup_required";

    /// <summary>A service point a staff member is assigned to, as the console session began (one claim each).</summary>
    public const string ServicePoint = "hub:service_point";

    public const string SetupSecondFactor = "second-factor";
    public const string SetupPasskey = "passkey";

    public static string? SetupRequiredOf(this ClaimsPrincipal principal) => principal?.FindFirst(SetupRequired)?.Value;

    public static Guid? SessionIdOf(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal?.FindFirst(SessionId)?.Value, out var id) ? id : null;

    public static Guid? AccountIdOf(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var id) ? id : null;

    public static IdentityHub.Authentication.Assurance.LevelOfAssurance LevelOf(this ClaimsPrincipal principal) =>
        IdentityHub.Authentication.Assurance.LevelsOfAssurance.TryParse(principal?.FindFirst(Acr)?.Value, out var level) ? level : IdentityHub.Authentication.Assurance.LevelOfAssurance.None;

    public static bool MustChangePasswordNow(this ClaimsPrincipal principal) =>
        principal?.HasClaim(MustChangePassword, "true") ?? false;

    public static string DisplayNameOf(this ClaimsPrincipal principal) =>
        principal?.FindFirst(DisplayName)?.Value ?? principal?.Identity?.Name ?? "";
}

/// <summary>
/// The principal of an account: id, name, display name and, for staff, roles and assigned service points — built with
/// two queries for staff and none for citizens; Identity's default factory also reads user and role claims, which the
/// hub does not use. Removing an assignment ends the member's sessions, so a cookie never keeps a service point it lost.
/// </summary>
internal sealed class HubClaimsPrincipalFactory(UserManager<HubAccount> users, Data.HubDbContext db, IOptions<IdentityOptions> options) : IUserClaimsPrincipalFactory<HubAccount>
{
    public async Task<ClaimsPrincipal> CreateAsync(HubAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = options.Value.ClaimsIdentity;
        var identity = new ClaimsIdentity(IdentityConstants.ApplicationScheme, claims.UserNameClaimType, claims.RoleClaimType);
        identity.AddClaim(new Claim(claims.UserIdClaimType, user.Id.ToString()));
        identity.AddClaim(new Claim(claims.UserNameClaimType, user.UserName ?? ""));
        identity.AddClaim(new Claim(HubClaimTypes.DisplayName, user.DisplayName));
        if (user.SecurityStamp is not null)
        {
            identity.AddClaim(new Claim(claims.SecurityStampClaimType, user.SecurityStamp));
        }

        if (user.Kind == AccountKind.Staff)
        {
            foreach (var role in await users.GetRolesAsync(user))
            {
                identity.AddClaim(new Claim(claims.RoleClaimType, role));
            }

            foreach (var servicePoint in await db.StaffServicePoints.AsNoTracking().Where(a => a.AccountId == user.Id).Select(a => a.ServicePoint).ToListAsync())
            {
                identity.AddClaim(new Claim(HubClaimTypes.ServicePoint, servicePoint));
            }
        }

        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(HubClaimTypes.MustChangePassword, "true"));
        }

        return new ClaimsPrincipal(identity);
    }
}
