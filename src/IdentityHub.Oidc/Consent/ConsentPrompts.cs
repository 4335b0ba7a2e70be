using System.Security.Claims;
using IdentityHub.Authentication.Sessions;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc.Consent;

/// <summary>What the consent page shows: the agency, each scope asked for (those not allowed before marked new).</summary>
public sealed record ConsentPrompt(
    string ClientId, string AgencyName, IReadOnlyList<ConsentScope> Scopes, bool AskedBefore, string Ticket, string RedirectOrigin,
    IReadOnlyList<KeyValuePair<string, string>> Parameters);

public sealed record ConsentScope(string Name, bool IsNew);

/// <summary>
/// Reads an authorization request as the consent page receives it. It trusts nothing in the query: the client must
/// exist and need consent, the redirect URI must be one it registered (the page's CSP lets the form lead there), and
/// every scope must be one the client is registered for; otherwise there is nothing to ask.
/// </summary>
public sealed class ConsentPrompts(IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, ConsentTickets tickets)
{
    public async Task<ConsentPrompt?> DescribeAsync(IQueryCollection query, ClaimsPrincipal citizen, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(citizen);
        if (citizen.AccountIdOf() is not { } accountId || citizen.SessionIdOf() is not { } sessionId
            || query[Parameters.ClientId] is not [{ Length: > 0 } clientId] || query[Parameters.RedirectUri] is not [{ Length: > 0 } redirectUri]
            || await applications.FindByClientIdAsync(clientId, ct) is not { } application
            || await applications.GetConsentTypeAsync(application, ct) != ConsentTypes.Explicit
            || !await applications.ValidateRedirectUriAsync(application, redirectUri, ct))
        {
            return null;
        }

        var requested = query[Parameters.Scope].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        foreach (var scope in requested)
        {
            if (!OidcScopes.All.Contains(scope) || !await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope, ct))
            {
                return null;
            }
        }

        var earlier = new HashSet<string>(StringComparer.Ordinal);
        var applicationId = (await applications.GetIdAsync(application, ct))!;
        await foreach (var authorization in authorizations.FindAsync(OidcConsentStep.SubjectOf(accountId), applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes: null, ct))
        {
            earlier.UnionWith(await authorizations.GetScopesAsync(authorization, ct));
        }

        var parameters = query.Where(p => !ConsentForm.Fields.Contains(p.Key))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")))
            .ToList();
        return new ConsentPrompt(
            clientId,
            await applications.GetDisplayNameAsync(application, ct) ?? clientId,
            [.. OidcScopes.All.Where(requested.Contains).Select(s => new ConsentScope(s, earlier.Count > 0 && !earlier.Contains(s)))],
            earlier.Count > 0,
            tickets.Issue(clientId, requested, sessionId),
            new Uri(redirectUri).GetLeftPart(UriPartial.Authority),
            parameters);
    }
}
