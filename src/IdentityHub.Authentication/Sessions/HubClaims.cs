using System.Security.Claims;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
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

internal sealed class HubClaimsPrincipalFactory(UserManager<HubAccount> users, RoleManager<HubRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<HubAccount, HubRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(HubAccount user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(HubClaimTypes.DisplayName, user.DisplayName));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(HubClaimTypes.MustChangePassword, "true"));
        }

        return identity;
    }
}
