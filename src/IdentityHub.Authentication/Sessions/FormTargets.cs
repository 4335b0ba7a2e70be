using Microsoft.AspNetCore.Http;

namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// The other origins this response's forms may be sent to (CSP form-action, which otherwise allows only the hub): an
/// agency's login callback or a SAML SP's assertion consumer service. The security-headers middleware reads them.
/// </summary>
public static class FormTargets
{
    private const string Key = "IdentityHub.FormTargets";

    /// <summary>Allows the origins (scheme://host[:port]) of these absolute http(s) URIs; anything else adds nothing.</summary>
    public static void Allow(HttpContext http, IEnumerable<string> uris)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(uris);
        var origins = uris.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>().Concat(Of(http)).Distinct(StringComparer.Ordinal).ToList();
        if (origins.Count > 0)
        {
            http.Items[Key] = origins;
        }
    }

    /// <summary>The origins allowed so far for this response.</summary>
    public static IReadOnlyList<string> Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[Key] as IReadOnlyList<string> ?? [];
    }
}
