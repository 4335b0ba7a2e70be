using IdentityHub.Authentication.Agencies;
using System.Globalization;
using System.Security.Claims;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// Builds what an agency receives from a hub session: sub pairwise for the client's sector; acr (the eIDAS level the
/// session has), amr (RFC 8176), auth_time (the latest authentication of the session) and sid (the hub session, the
/// same for every agency it serves, so one logout reaches all); profile claims with the profile scope; the national
/// identifier only with the national_id scope, which only entitled clients may ask for.
/// </summary>
public sealed class OidcPrincipals(HubDbContext db, HubSessions sessions, PairwiseSubjects subjects, IDataProtectionProvider protection)
{
    private const string AccountPurpose = "IdentityHub.Oidc.Account";

    public async Task<ClaimsPrincipal?> ForCitizenAsync(ClaimsPrincipal citizen, string sector, IEnumerable<string> scopes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        if (citizen.AccountIdOf() is not { } accountId || citizen.SessionIdOf() is not { } sessionId
            || await sessions.ValidateAsync(sessionId, SessionAudiences.Citizen, ct) is not { } session
            || await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == accountId && u.Kind == AccountKind.Citizen && u.DisabledAt == null, ct) is not { } account)
        {
            return null;
        }

        var granted = scopes.ToList();
        var nationalId = account.UserName!;
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subjects.SubjectFor(sector, nationalId));
        identity.SetClaim(Claims.AuthenticationContextReference, citizen.FindFirst(HubClaimTypes.Acr)?.Value);
        identity.SetClaims(Claims.AuthenticationMethodReference, [.. citizen.FindAll(HubClaimTypes.Amr).Select(c => c.Value)]);
        var authTime = AuthTimeOf(session);
        identity.AddClaim(new Claim(Claims.AuthenticationTime, authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        identity.SetClaim("sid", session.Id.ToString());
        identity.SetClaim(OidcClaims.SealedAccount, protection.CreateProtector(AccountPurpose).Protect(account.Id.ToString()));

        if (granted.Contains(OidcScopes.Profile) || granted.Contains(OidcScopes.NationalId))
        {
            var person = await db.Persons.AsNoTracking().FirstOrDefaultAsync(p => p.NationalId == nationalId, ct);
            if (person is not null && granted.Contains(OidcScopes.Profile))
            {
                foreach (var (type, value) in ProfileClaims(person))
                {
                    identity.SetClaim(type, value);
                }
            }

            if (granted.Contains(OidcScopes.NationalId))
            {
                identity.SetClaim(OidcClaims.NationalId, nationalId);
            }
        }

        identity.SetScopes(granted);
        identity.SetDestinations(Destinations);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>When the citizen last authenticated in this session (the ID token's auth_time), for max_age.</summary>
    public async Task<DateTimeOffset?> AuthTimeAsync(ClaimsPrincipal citizen, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        return citizen.SessionIdOf() is { } sessionId && await sessions.ValidateAsync(sessionId, SessionAudiences.Citizen, ct) is { } session
            ? AuthTimeOf(session)
            : null;
    }

    private static DateTimeOffset AuthTimeOf(SessionRecord session) =>
        HubSessions.AuthenticationsOf(session).Select(a => a.At).DefaultIfEmpty(session.CreatedAt).Max();

    /// <summary>A back-end calling with its own credentials: sub is its client id.</summary>
    public static ClaimsPrincipal ForClient(string clientId, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [OpenIddictConstants.Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// The citizen account an access token speaks for: its sealed account claim opens, the account is enabled, and the
    /// hub session the token came from is still open (signing out ends it at once). Null for a client's own token.
    /// </summary>
    public async Task<HubAccount?> CitizenOfAsync(ClaimsPrincipal token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.GetClaim(OidcClaims.SealedAccount) is not { } sealedAccount)
        {
            return null;
        }

        Guid accountId;
        try
        {
            accountId = Guid.Parse(protection.CreateProtector(AccountPurpose).Unprotect(sealedAccount));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == accountId && u.DisabledAt == null, ct);
        return account is null || !Guid.TryParse(token.GetClaim("sid"), out var sessionId)
            || await sessions.ValidateAsync(sessionId, SessionAudiences.Citizen, ct) is null
            ? null
            : account;
    }

    /// <summary>The claims userinfo returns for an access token: its subject and what its scopes release.</summary>
    public async Task<Dictionary<string, object>?> UserInfoAsync(ClaimsPrincipal token, CancellationToken ct)
    {
        if (await CitizenOfAsync(token, ct) is not { } account)
        {
            return null;
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = token.GetClaim(Claims.Subject)! };
        if (token.HasScope(OidcScopes.Profile) && await db.Persons.AsNoTracking().FirstOrDefaultAsync(p => p.NationalId == account.UserName, ct) is { } person)
        {
            foreach (var (type, value) in ProfileClaims(person))
            {
                claims[type] = value;
            }
        }

        if (token.HasScope(OidcScopes.NationalId))
        {
            claims[OidcClaims.NationalId] = account.UserName!;
        }

        return claims;
    }

    /// <summary>What the profile scope releases, the same in the ID token and at userinfo.</summary>
    private static (string Type, string Value)[] ProfileClaims(Data.Registry.PersonRecord person) =>
    [
        (Claims.GivenName, person.GivenNames),
        (Claims.FamilyName, person.Surname),
        (Claims.Birthdate, person.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
    ];

    private static IEnumerable<string> Destinations(Claim claim)
    {
        switch (claim.Type)
        {
            case Claims.Subject:
            case Claims.AuthenticationContextReference:
            case Claims.AuthenticationMethodReference:
            case Claims.AuthenticationTime:
            case "sid":
                return [OpenIddictConstants.Destinations.IdentityToken, OpenIddictConstants.Destinations.AccessToken];
            case OidcClaims.SealedAccount:
                return [OpenIddictConstants.Destinations.AccessToken];
            case Claims.GivenName or Claims.FamilyName or Claims.Birthdate or OidcClaims.NationalId:
                return [OpenIddictConstants.Destinations.IdentityToken];
            default:
                return [];
        }
    }
}
