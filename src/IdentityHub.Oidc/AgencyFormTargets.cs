using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.Oidc;

/// <summary>
/// The agency origins a hub page's forms may lead to. Chromium applies the CSP directive form-action to every redirect a
/// form submission goes through (CSP Level 3 §6.3.1.3, form-action "is enforced on redirects"), and the login forms'
/// POST ends, by way of /connect/authorize, at the agency's redirect URI: with form-action 'self' alone the browser stops
/// there and the citizen never gets back. A page that serves an authorization request therefore also allows the
/// origins of that client's registered redirect URIs, and nothing else (an unknown or disabled client adds nothing).
/// </summary>
public sealed class AgencyFormTargets(OidcClients clients)
{
    /// <summary>The origins of the redirect URIs of the client whose authorization request <paramref name="returnUrl"/> is.</summary>
    public async Task<IReadOnlyList<string>> ForReturnUrlAsync(string? returnUrl, CancellationToken ct)
    {
        var prefix = OidcServiceCollectionExtensions.AuthorizePath + "?";
        if (returnUrl is null || !returnUrl.StartsWith(prefix, StringComparison.Ordinal))
        {
            return [];
        }

        var query = QueryHelpers.ParseQuery(returnUrl[(prefix.Length - 1)..]);
        return query.TryGetValue("client_id", out var clientId) && clientId is [{ Length: > 0 and <= 100 } id]
            && await clients.FindAsync(id, ct) is { DisabledAt: null } client
            ? OriginsOf(client.RedirectUris)
            : [];
    }

    /// <summary>scheme://host[:port] of each absolute URI: nothing a header could be broken with.</summary>
    private static List<string> OriginsOf(IEnumerable<string> uris) =>
        [.. uris.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>().Distinct(StringComparer.Ordinal)];
}
