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
