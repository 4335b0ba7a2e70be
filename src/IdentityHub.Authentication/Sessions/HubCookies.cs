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
/// whose row is checked on every request (<see cref="HubSessions.ValidateAsync"/>). The citizen cookie is SameSite=Lax
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
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context, string audience)
    {
        var services = context.HttpContext.RequestServices;
        var sessionId = context.Principal?.SessionIdOf();
        var session = sessionId is { } id
            ? await services.GetRequiredService<HubSessions>().ValidateAsync(id, audience, context.HttpContext.RequestAborted)
            : null;
        if (session is null)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HubCookies)).SessionEnded(context.Principal?.Identity?.Name ?? "?", audience);
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
