using System.Security.Claims;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Authentication.Sessions;

/// <summary>The cookie schemes: one for the citizen portal, Identity's application cookie for the officer console.</summary>
public static class HubSchemes
{
    public const string Citizen = "HubCitizen";
    public const string Staff = "Identity.Application";

    public static string Of(string audience) => audience == SessionAudiences.Staff ? Staff : Citizen;
}

/// <summary>
/// The principal a session cookie carries: Identity's claims for the account (id, name, roles), the session id, the
/// level of assurance (acr) and RFC 8176 amr values, and the set-up mark while one is due.
/// </summary>
public sealed class SessionPrincipals(IUserClaimsPrincipalFactory<HubAccount> factory, AssurancePolicy policy)
{
    public async Task<ClaimsPrincipal> CreateAsync(HubAccount account, Data.Accounts.SessionRecord session, string? setupRequired)
    {
        ArgumentNullException.ThrowIfNull(session);
        var principal = await factory.CreateAsync(account);
        var identity = (ClaimsIdentity)principal.Identity!;
        var authentications = HubSessions.AuthenticationsOf(session);
        identity.AddClaim(new Claim(HubClaimTypes.SessionId, session.Id.ToString()));
        identity.AddClaim(new Claim(HubClaimTypes.Audience, session.Audience));
        identity.AddClaim(new Claim(HubClaimTypes.Acr, policy.LevelOf(authentications).ToUri()));
        foreach (var amr in AssurancePolicy.AmrOf(authentications))
        {
            identity.AddClaim(new Claim(HubClaimTypes.Amr, amr));
        }

        if (setupRequired is not null)
        {
            identity.AddClaim(new Claim(HubClaimTypes.SetupRequired, setupRequired));
        }

        return principal;
    }
}
