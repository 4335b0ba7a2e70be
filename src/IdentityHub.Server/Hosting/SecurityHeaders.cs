namespace IdentityHub.Server.Hosting;

/// <summary>
/// Response headers that every page and endpoint carries. The CSP allows only the hub's own files (no inline script or
/// style anywhere) and no framing (clickjacking); HSTS over HTTPS; see OWASP's HTTP Headers Cheat Sheet.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Lets this response's forms lead to these origins too (form-action; see <see cref="Oidc.AgencyFormTargets"/>): the
    /// agency a login page will send the citizen back to. Origins only, as AgencyFormTargets builds them.
    /// </summary>
    public static void AllowFormTargets(HttpContext http, IReadOnlyList<string> origins) =>
        IdentityHub.Authentication.Sessions.FormTargets.Allow(http, origins);

    public static IApplicationBuilder UseIdentityHubSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // OnStarting: the exception handler clears headers set earlier; these must be on error pages too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = IdentityHub.Authentication.Sessions.FormTargets.Of(context) is { Count: > 0 } targets
                ? ContentSecurityPolicy.Replace("form-action 'self'", "form-action 'self' " + string.Join(' ', targets), StringComparison.Ordinal)
                : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), publickey-credentials-get=(self), publickey-credentials-create=(self)";
            if (context.Request.IsHttps)
            {
                // RFC 6797: browsers then refuse plain HTTP to the hub for a year (sent only over HTTPS, as §7.2 requires).
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }
            return Task.CompletedTask;
        });
        await next(context);
    });
}
