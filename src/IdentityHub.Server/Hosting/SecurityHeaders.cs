namespace IdentityHub.Server.Hosting;

/// <summary>
/// Response headers that every page and endpoint carries. The CSP allows only the hub's own files (no inline script or
/// style anywhere) and no framing (clickjacking); see OWASP's HTTP Headers Cheat Sheet.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseIdentityHubSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // OnStarting: the exception handler clears headers set earlier; these must be on error pages too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        await next(context);
    });
}
