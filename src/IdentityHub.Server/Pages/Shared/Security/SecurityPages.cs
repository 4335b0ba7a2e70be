using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Oidc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Shared.Security;

/// <summary>What the sign-in and authenticator pages of both audiences share.</summary>
internal static class SecurityPages
{
    /// <summary>The page serves the authorization request <paramref name="returnUrl"/>: its forms may lead back to that agency.</summary>
    public static async Task AllowAgencyFormTargetsAsync(HttpContext http, string? returnUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var targets = http.RequestServices.GetRequiredService<AgencyFormTargets>();
        Hosting.SecurityHeaders.AllowFormTargets(http, await targets.ForReturnUrlAsync(returnUrl, ct));
    }

    public static string HomeOf(string audience) => audience == SessionAudiences.Staff ? "/console" : "/account";

    public static string LoginOf(string audience) => audience == SessionAudiences.Staff ? "/console/sign-in" : "/login";

    /// <summary>Where a recovery code stands in for the second factor during a sign-in.</summary>
    public static string RecoveryCodeOf(string audience) => audience == SessionAudiences.Staff ? "/console/sign-in/recovery-code" : "/login/recovery-code";

    /// <summary>
    /// Only back into the same part of the hub: anything else could turn the sign-in pages into an open redirect, and
    /// a citizen's login must not land on console pages (nor the other way round).
    /// </summary>
    public static string SafeReturnUrl(IUrlHelper url, string? returnUrl, string audience)
    {
        ArgumentNullException.ThrowIfNull(url);
        var home = HomeOf(audience);
        if (string.IsNullOrEmpty(returnUrl) || !url.IsLocalUrl(returnUrl))
        {
            return home;
        }

        var staffUrl = returnUrl.StartsWith("/console", StringComparison.Ordinal);
        return staffUrl == (audience == SessionAudiences.Staff) ? returnUrl : home;
    }

    /// <summary>
    /// Why a session cannot add an authenticator: it was opened by a password alone, so it binds at low (NIST SP
    /// 800-63B §6.1.2.1). A citizen needs a new activation or recovery letter; a staff member a new one-time password.
    /// </summary>
    public static string LowSessionMessage(IStringLocalizer<Texts> t, System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(user);
        return user.HasClaim(HubClaimTypes.Audience, SessionAudiences.Staff) ? t["Setup.LowSession.Staff"] : t["Setup.LowSession.Citizen"];
    }

    /// <summary>The JSON the page script reads: the challenge id and the options for navigator.credentials.</summary>
    public static ContentResult OptionsResult(PasskeyChallenge challenge) => new()
    {
        Content = $"{{\"challengeId\":\"{challenge.ChallengeId}\",\"options\":{challenge.OptionsJson}}}",
        ContentType = "application/json",
        StatusCode = 200,
    };

    public static string Message(IStringLocalizer<Texts> t, LoginOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Error == LoginError.Passkey ? Message(t, outcome.PasskeyError) : t["Login.Error." + outcome.Error];
    }

    public static string Message(IStringLocalizer<Texts> t, PasskeyError error)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t["Passkey.Error." + error];
    }
}
