namespace IdentityHub.Saml.Sso;

/// <summary>
/// What the SSO endpoint answers: a redirect (to the login, the step-up, or the continue step), an HTML page that
/// posts a SAML message to the SP, or an error page when no ACS can be trusted with an answer.
/// </summary>
internal sealed record SsoOutcome(string? RedirectTo, string? Html, int StatusCode)
{
    public static SsoOutcome Redirect(string location) => new(location, null, 302);

    public static SsoOutcome Post(string html) => new(null, html, 200);

    /// <summary>A page of the hub's own (a logout's outcome).</summary>
    public static SsoOutcome Page(string html) => new(null, html, 200);

    /// <summary>An error page: <paramref name="html"/> says what went wrong, never a stack trace.</summary>
    public static SsoOutcome ErrorPage(string html) => new(null, html, 400);
}
