using IdentityHub.Authentication.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// Session cookies: HttpOnly, Secure whenever the request came over HTTPS, carrying only the principal of a session
/// whose row is checked on every request (<see cref="HubSessions.ValidateCookieAsync"/>: the cookie's account, roles and
/// level must be the row's, and the row's roles still the account's). The citizen cookie is SameSite=Lax
/// (a relying party's top-level redirect must carry it); the console cookie is scoped to /console and SameSite=Strict.
/// </summary>
internal static class HubCookies
{
    public const string CitizenCookieName = "hub.session";
    public const string ConsoleCookieName = "hub.console";

    public static void ConfigureCitizen(CookieAuthenticationOptions options, SessionOptions sessions)
    {
        options.Cookie.Name = CitizenCookieName;
        options.Cookie.Path = "/";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/login";
        options.LogoutPath = "/sign-out";
        options.AccessDeniedPath = "/login";
        options.ReturnUrlParameter = "returnUrl";
        options.ExpireTimeSpan = sessions.CitizenAbsoluteLifetime;
        options.SlidingExpiration = false;
        options.Events.OnValidatePrincipal = context => ValidateAsync(context, SessionAudiences.Citizen);
        options.Events.OnRedirectToLogin = context => RedirectWithinAsync(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectWithinAsync(context, StatusCodes.Status403Forbidden);
    }

    public static void ConfigureConsole(CookieAuthenticationOptions options, SessionOptions sessions)
    {
        options.Cookie.Name = ConsoleCookieName;
        options.Cookie.Path = "/console";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/console/sign-in";
        options.LogoutPath = "/console/sign-out";
        options.AccessDeniedPath = "/console/access-denied";
        options.ExpireTimeSpan = sessions.StaffAbsoluteLifetime;
        options.SlidingExpiration = false;
        options.Events.OnValidatePrincipal = context => ValidateAsync(context, SessionAudiences.Staff);
        options.Events.OnRedirectToLogin = context => RedirectWithinAsync(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectWithinAsync(context, StatusCodes.Status403Forbidden);
    }

    /// <summary>
    /// Sign-in and access-denied redirects name a path, never scheme and host: the Location must not repeat a Host
    /// header (AllowedHosts refuses unknown ones before this; this holds whatever AllowedHosts says).
    /// </summary>
    private static Task RedirectWithinAsync(RedirectContext<CookieAuthenticationOptions> context, int ajaxStatus)
    {
        var location = Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri;
        if (string.Equals(context.Request.Headers.XRequestedWith, "XMLHttpRequest", StringComparison.Ordinal))
        {
            context.Response.Headers.Location = location;
            context.Response.StatusCode = ajaxStatus;
        }
        else
        {
            context.Response.Redirect(location);
        }

        return Task.CompletedTask;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context, string audience)
    {
        var services = context.HttpContext.RequestServices;
        var (session, refusal) = context.Principal is { } principal
            ? await services.GetRequiredService<HubSessions>().ValidateCookieAsync(principal, audience, context.HttpContext.RequestAborted)
            : (null, "no-session");
        if (session is null)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HubCookies));
            if (refusal is "ended" or "no-session")
            {
                logger.SessionEnded(context.Principal?.Identity?.Name ?? "?", audience);
            }
            else
            {
                logger.SessionRefused(context.Principal?.Identity?.Name ?? "?", audience, refusal ?? "?");
            }

            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }

        context.HttpContext.Items[typeof(Data.Accounts.SessionRecord)] = session;
    }
}

/// <summary>Applies <see cref="SessionOptions"/> to both cookie schemes.</summary>
internal sealed class ConfigureHubCookies(IOptions<SessionOptions> sessions) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name == HubSchemes.Citizen)
        {
            HubCookies.ConfigureCitizen(options, sessions.Value);
        }
        else if (name == HubSchemes.Staff)
        {
            HubCookies.ConfigureConsole(options, sessions.Value);
        }
    }

    public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);
}
