using System.Security.Claims;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

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

    /// <summary>A client's own token (client credentials) or a citizen whose account or hub session has ended.</summary>
    NotACitizen,
}

/// <summary>An access token the hub accepted: who it speaks for and which client holds it.</summary>
public sealed record AccessTokenHolder(AccessTokenProblem Problem, ClaimsPrincipal? Principal = null, HubAccount? Citizen = null, string? ClientId = null)
{
    public bool Succeeded => Problem == AccessTokenProblem.None;
}

/// <summary>
/// Validates the hub's own access tokens at its own resource APIs (the CSC API), in process: the token goes through the
/// OpenIddict server's token validation (the same handlers, keys and revocation checks as at userinfo and
/// introspection), without a separate validation stack or a network round trip. Then the citizen is found as userinfo
/// finds them (<see cref="OidcPrincipals.CitizenOfAsync"/>).
/// </summary>
public sealed partial class AccessTokens(IOpenIddictServerFactory factory, IOpenIddictServerDispatcher dispatcher, OidcPrincipals principals, ILogger<AccessTokens> logger)
{
    /// <param name="scope">The scope the API requires.</param>
    public async Task<AccessTokenHolder> CitizenAsync(HttpContext http, string scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return new AccessTokenHolder(AccessTokenProblem.Missing);
        }

        var transaction = await factory.CreateTransactionAsync();
        transaction.CancellationToken = ct;
        transaction.BaseUri = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/", UriKind.Absolute);
        transaction.RequestUri = new Uri(http.Request.GetEncodedUrl(), UriKind.Absolute);
        transaction.Request = new OpenIddictRequest();
        var context = new OpenIddictServerEvents.ValidateTokenContext(transaction)
        {
            Token = header[7..].Trim(),
            ValidTokenTypes = { TokenTypeIdentifiers.AccessToken },
        };
        await dispatcher.DispatchAsync(context);
        if (context.IsRejected || context.Principal is not { } principal)
        {
            TokenRefused(logger, context.Error ?? "no principal", context.ErrorDescription ?? "");
            return new AccessTokenHolder(AccessTokenProblem.Invalid);
        }

        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        if (Dpop.DpopProofs.BoundKeyOf(principal) is not null)
        {
            return new AccessTokenHolder(AccessTokenProblem.DpopBound, principal, null, clientId);
        }

        if (!principal.HasScope(scope))
        {
            return new AccessTokenHolder(AccessTokenProblem.InsufficientScope, principal, null, clientId);
        }

        return await principals.CitizenOfAsync(principal, ct) is { } citizen
            ? new AccessTokenHolder(AccessTokenProblem.None, principal, citizen, clientId)
            : new AccessTokenHolder(AccessTokenProblem.NotACitizen, principal, null, clientId);
    }

    [LoggerMessage(6200, LogLevel.Warning, "Access token refused at a hub API: {Error} {Description}")]
    private static partial void TokenRefused(ILogger logger, string error, string description);
}
