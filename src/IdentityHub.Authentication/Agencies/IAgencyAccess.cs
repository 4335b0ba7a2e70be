using System.Security.Claims;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Authentication.Agencies;

/// <summary>Why an access token presented to one of the hub's own APIs was not accepted.</summary>
public enum AccessTokenProblem
{
    None,

    /// <summary>No "Authorization: Bearer" header.</summary>
    Missing,

    /// <summary>Not an access token of this hub: bad signature, expired, revoked, another issuer, malformed.</summary>
    Invalid,

    /// <summary>A DPoP-bound token (RFC 9449): the hub's own APIs accept bearer tokens only, so its proof is not checked.</summary>
    DpopBound,

    /// <summary>The token lacks the scope the API needs (RFC 6750 §3.1 insufficient_scope).</summary>
    InsufficientScope,

    /// <summary>A client's own token (client credentials) where a citizen's is needed, or a citizen whose account or hub session has ended.</summary>
    NotACitizen,
}

/// <summary>An access token the hub accepted: who it speaks for (a citizen, or only the client) and which client holds it.</summary>
public sealed record AccessTokenHolder(AccessTokenProblem Problem, ClaimsPrincipal? Principal = null, HubAccount? Citizen = null, string? ClientId = null)
{
    public bool Succeeded => Problem == AccessTokenProblem.None;
}

/// <summary>
/// What the hub's own resource APIs (the CSC API, the agency signing API) need from the OpenID provider, without
/// depending on it (ARCHITECTURE.md: Signing may use Authentication, not Oidc; decision 0022): reading the hub's
/// access tokens, the citizen's subject at an agency, and the agency's display name. The Oidc library implements it.
/// </summary>
public interface IAgencyAccess
{
    /// <summary>A citizen's access token with <paramref name="scope"/> (authorization code flow).</summary>
    Task<AccessTokenHolder> CitizenAsync(HttpContext http, string scope, CancellationToken ct);

    /// <summary>A client's own access token with <paramref name="scope"/> (client credentials), or a citizen's.</summary>
    Task<AccessTokenHolder> ClientAsync(HttpContext http, string scope, CancellationToken ct);

    /// <summary>The subject (sub) the agency knows this citizen by: pairwise per agency sector, as in its ID tokens.</summary>
    Task<string?> SubjectAtAsync(string clientId, Guid accountId, CancellationToken ct);

    /// <summary>The agency's name as citizens see it on consent pages; null for an unknown client.</summary>
    Task<string?> DisplayNameAsync(string clientId, CancellationToken ct);
}
