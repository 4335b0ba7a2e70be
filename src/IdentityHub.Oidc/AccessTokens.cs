using System.Security.Claims;
using IdentityHub.Authentication.Agencies;
using IdentityHub.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// Validates the hub's own access tokens at its own resource APIs (the CSC API, the agency signing API), in process:
/// the token goes through the OpenIddict server's token validation (the same handlers, keys and revocation checks as at
/// userinfo and introspection), without a separate validation stack or a network round trip. Then the citizen is found
/// as userinfo finds them (<see cref="OidcPrincipals.CitizenOfAsync"/>). Signing reaches it only through
/// <see cref="IAgencyAccess"/> (decision 0022).
/// </summary>
public sealed partial class AccessTokens(
    IOpenIddictServerFactory factory,
    IOpenIddictServerDispatcher dispatcher,
    OidcPrincipals principals,
    IOpenIddictApplicationManager applications,
    OidcClients clients,
    PairwiseSubjects subjects,
    HubDbContext db,
    ILogger<AccessTokens> logger) : IAgencyAccess
{
    /// <param name="scope">The scope the API requires.</param>
    public async Task<AccessTokenHolder> CitizenAsync(HttpContext http, string scope, CancellationToken ct)
    {
        var holder = await ValidateAsync(http, scope, ct);
        if (!holder.Succeeded)
        {
            return holder;
        }

        return await principals.CitizenOfAsync(holder.Principal!, ct) is { } citizen
            ? holder with { Citizen = citizen }
            : holder with { Problem = AccessTokenProblem.NotACitizen };
    }

    public async Task<AccessTokenHolder> ClientAsync(HttpContext http, string scope, CancellationToken ct)
    {
        var holder = await ValidateAsync(http, scope, ct);
        return holder.Succeeded && holder.ClientId is null ? holder with { Problem = AccessTokenProblem.Invalid } : holder;
    }

    public async Task<string?> SubjectAtAsync(string clientId, Guid accountId, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        var nationalId = await db.Users.AsNoTracking().Where(u => u.Id == accountId).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        return application is null || nationalId is null ? null : subjects.SubjectFor(await clients.SectorAsync(application, ct), nationalId);
    }

    public async Task<string?> DisplayNameAsync(string clientId, CancellationToken ct) =>
        await applications.FindByClientIdAsync(clientId, ct) is { } application ? await applications.GetDisplayNameAsync(application, ct) : null;

    private async Task<AccessTokenHolder> ValidateAsync(HttpContext http, string scope, CancellationToken ct)
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
        if (context.IsRejected || context.Principal is not ClaimsPrincipal principal)
        {
            TokenRefused(logger, context.Error ?? "no principal", context.ErrorDescription ?? "");
            return new AccessTokenHolder(AccessTokenProblem.Invalid);
        }

        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        if (Dpop.DpopProofs.BoundKeyOf(principal) is not null)
        {
            return new AccessTokenHolder(AccessTokenProblem.DpopBound, principal, null, clientId);
        }

        return principal.HasScope(scope)
            ? new AccessTokenHolder(AccessTokenProblem.None, principal, null, clientId)
            : new AccessTokenHolder(AccessTokenProblem.InsufficientScope, principal, null, clientId);
    }

    [LoggerMessage(6200, LogLevel.Warning, "Access token refused at a hub API: {Error} {Description}")]
    private static partial void TokenRefused(ILogger logger, string error, string description);
}
