using Microsoft.AspNetCore.Authorization;

namespace IdentityHub.Authentication.Sessions;

/// <summary>Authorization policies for the citizen portal (its own cookie scheme; a console cookie never opens it).</summary>
public static class CitizenPolicies
{
    /// <summary>A signed-in citizen, in any session state (set-up pages use it).</summary>
    public const string Citizen = "citizen";

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Citizen, p => p.AddAuthenticationSchemes(HubSchemes.Citizen).RequireAuthenticatedUser()
            .RequireClaim(HubClaimTypes.Audience, SessionAudiences.Citizen));
    }
}
