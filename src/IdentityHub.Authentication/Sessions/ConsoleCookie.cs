using System.Globalization;
using IdentityHub.Authentication.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// The officer console's session cookie. Idle timeout 15 minutes (sliding), absolute lifetime 8 hours, as OWASP's
/// Session Management Cheat Sheet suggests for high-value applications; scoped to /console, HttpOnly, SameSite=Strict,
/// Secure whenever the request came over HTTPS.
/// </summary>
internal static class ConsoleCookie
{
    public const string Name = "hub.console";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(8);

    /// <summary>Kept in the ticket's properties, which survive sliding renewals and security-stamp refreshes.</summary>
    private const string SignedInAtKey = "hub.signed_in_at";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = Name;
        options.Cookie.Path = "/console";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/console/sign-in";
        options.LogoutPath = "/console/sign-out";
        options.AccessDeniedPath = "/console/access-denied";
        options.ExpireTimeSpan = IdleTimeout;
        options.SlidingExpiration = true;
        options.Events.OnSigningIn = context =>
        {
            // A refresh after a password change signs in again with the same properties: keep the first time.
            if (!context.Properties.Items.ContainsKey(SignedInAtKey))
            {
                var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                context.Properties.Items[SignedInAtKey] = now.ToString("O", CultureInfo.InvariantCulture);
            }

            return Task.CompletedTask;
        };
        options.Events.OnValidatePrincipal = ValidateAsync;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!context.Properties.Items.TryGetValue(SignedInAtKey, out var value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt)
            || now - signedInAt > AbsoluteLifetime)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleCookie))
                .SessionExpired(context.Principal?.Identity?.Name ?? "?");
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        // Identity's check that the account's security stamp did not change (disabled, password changed elsewhere).
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }
}
