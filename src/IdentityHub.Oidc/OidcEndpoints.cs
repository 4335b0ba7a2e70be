using System.Security.Claims;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using IdentityHub.Oidc.Dpop;
using IdentityHub.Oidc.Consent;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// The endpoints OpenIddict passes through to the hub once it has validated the protocol: authorize (the hub session,
/// its level, and the step-up), token (code, refresh and client credentials), userinfo and end-session.
/// </summary>
public static class OidcEndpoints
{
    /// <summary>The longest value any authorization request parameter may have.</summary>
    public const int MaxParameterLength = 2048;

    public static IEndpointRouteBuilder MapIdentityHubOidc(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(OidcServiceCollectionExtensions.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).ExcludeFromDescription();
        endpoints.MapPost(OidcServiceCollectionExtensions.TokenPath, TokenAsync).ExcludeFromDescription();
        endpoints.MapMethods(OidcServiceCollectionExtensions.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).ExcludeFromDescription();
        endpoints.MapMethods(OidcServiceCollectionExtensions.EndSessionPath, [HttpMethods.Get, HttpMethods.Post], EndSessionAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, IOpenIddictApplicationManager applications, OidcClients clients,
        OidcPrincipals principals, AssurancePolicy policy, AuditLog audit, TimeProvider time, Microsoft.Extensions.Configuration.IConfiguration configuration,
        BackChannelLogout.SessionClients sessionClients, OidcConsentStep consent, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not validate this authorization request.");
        var application = await applications.FindByClientIdAsync(request.ClientId!, ct) ?? throw new InvalidOperationException("Unknown client after validation.");

        // Nothing a browser carries here needs more; a longer value would only be carried on through the login page.
        if (request.GetParameters().FirstOrDefault(p => ((string?)p.Value)?.Length > MaxParameterLength) is { Key: { } tooLong })
        {
            return Error(Errors.InvalidRequest, $"The {tooLong} parameter is longer than {MaxParameterLength} characters.");
        }

        var cultures = Microsoft.Extensions.Configuration.ConfigurationBinder.Get<string[]>(configuration.GetSection("Localization:SupportedCultures")) ?? ["en"];
        if (RequestedAuthentication.Read(request, policy, cultures, out var error, out var problem) is not { } asked)
        {
            return Error(error!, problem!);
        }

        var target = asked.Level;

        var dpopJkt = (string?)request.GetParameter(DpopHandlers.DpopJktParameter);
        if (dpopJkt is not null && (dpopJkt.Length != 43 || dpopJkt.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))))
        {
            return Error(Errors.InvalidRequest, "dpop_jkt is not a JWK SHA-256 thumbprint (43 base64url characters).");
        }

        // A pushed request (RFC 9126) is carried through the login by its request_uri alone; OpenIddict restores the rest.
        var pushed = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Properties?
            .GetParameter<ClaimsPrincipal>(OpenIddictServerAspNetCoreConstants.Properties.RequestTokenPrincipal);
        var citizen = await http.AuthenticateAsync(HubSchemes.Citizen);
        var user = citizen.Succeeded && citizen.Principal.SetupRequiredOf() is null ? citizen.Principal : null;
        var authTime = user is null ? null : await principals.AuthTimeAsync(user, ct);
        // prompt=login is met by a login after the request arrived: a pushed request's own time, or (by value) the login
        // this redirect asked for, after which the browser comes back without prompt=login.
        var promptLogin = request.HasPromptValue(PromptValues.Login)
            && !(pushed?.GetCreationDate() is { } pushedAt && authTime is { } at0 && at0 >= pushedAt);
        var tooOld = user is not null && request.MaxAge is { } maxAge && authTime is { } at
            && time.GetUtcNow() - at > TimeSpan.FromSeconds(maxAge);

        if (user is null || promptLogin || tooOld)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Error(Errors.LoginRequired, "The citizen is not signed in at the hub.");
            }

            // After the login the browser comes back here without prompt=login, so it is not asked again.
            var back = ReturnUrl(http, request, dropPromptLogin: pushed is null);
            UseCulture(http, asked);
            var hint = asked.LoginHint is { } nationalId ? "&login_hint=" + nationalId : "";
            return Results.Redirect($"/login?level={target.ToString().ToLowerInvariant()}{hint}&returnUrl={Uri.EscapeDataString(back)}");
        }

        if (user.LevelOf() < target)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Error(Errors.InteractionRequired, $"The hub session is below level {target.ToString().ToLowerInvariant()}.");
            }

            var back = ReturnUrl(http, request, dropPromptLogin: pushed is null);
            UseCulture(http, asked);
            return Results.Redirect($"/account/step-up?level={target.ToString().ToLowerInvariant()}&returnUrl={Uri.EscapeDataString(back)}");
        }

        var sector = await clients.SectorAsync(application, ct);
        var principal = await principals.ForCitizenAsync(user, sector, request.GetScopes(), ct);
        if (principal is null)
        {
            return Error(Errors.LoginRequired, "The hub session has ended.");
        }

        if (await consent.ApplyAsync(http, request, application, user, principal, ct) is { } consentAnswer)
        {
            return consentAnswer;
        }

        if (dpopJkt is not null)
        {
            principal.SetClaim(DpopHandlers.CodeBindingClaim, dpopJkt);
        }

        // The access token's aud is the agency itself (its own APIs accept it), so only it learns more at introspection.
        principal.SetResources(request.ClientId!);

        var citizenId = user.Identity?.Name ?? "?";
        await audit.AppendAsync(new AuditEvent("oidc.authorized", citizenId, citizenId, new Dictionary<string, string>
        {
            ["client"] = request.ClientId!,
            ["acr"] = principal.GetClaim(Claims.AuthenticationContextReference) ?? "",
            ["scopes"] = string.Join(' ', request.GetScopes()),
            ["session"] = principal.GetClaim("sid") ?? "",
        }), ct);
        // The session now has this agency to tell when it ends (back-channel logout), and the portal lists it.
        await sessionClients.RecordAsync(Guid.Parse(principal.GetClaim("sid")!), request.ClientId!, ct);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext http, OidcPrincipals principals, HubSessions sessions, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not validate this token request.");
        if (request.IsClientCredentialsGrantType())
        {
            var client = OidcPrincipals.ForClient(request.ClientId!, request.GetScopes());
            client.SetResources(request.ClientId!);
            return Results.SignIn(client, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var principal = result.Principal;
            // A grant lives no longer than the hub session it came from: signing out at the hub ends every agency's refresh.
            if (principal is null || !Guid.TryParse(principal.GetClaim("sid"), out var sessionId)
                || await sessions.ValidateAsync(sessionId, SessionAudiences.Citizen, ct) is null)
            {
                return Error(Errors.InvalidGrant, "The hub session this grant came from has ended.");
            }

            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Error(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http, OidcPrincipals principals, DpopProofs proofs, CancellationToken ct)
    {
        var token = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (token.Principal is not null && await DpopProblemAsync(http, token.Principal, proofs, ct) is { } refused)
        {
            return refused;
        }

        if (token.Principal is null || await principals.UserInfoAsync(token.Principal, ct) is not { } claims)
        {
            return Results.Challenge(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The access token is not a citizen's, or their account or hub session has ended.",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.Json(claims);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http, LoginFlow flow, IAntiforgery antiforgery, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not validate this logout request.");
        var citizen = await http.AuthenticateAsync(HubSchemes.Citizen);
        if (citizen.Succeeded && citizen.Principal.SessionIdOf() is { } sessionId)
        {
            // The id_token_hint (validated by OpenIddict) names this session: the agency's own citizen signs out. Otherwise
            // the citizen confirms on a page, so that a link on any site cannot sign them out.
            var hint = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var thisSession = hint.Principal?.GetClaim("sid") == sessionId.ToString();
            var confirmed = HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
                && http.Request.Form["confirm"] == "yes" && await antiforgery.IsRequestValidAsync(http);
            if (!thisSession && !confirmed)
            {
                var parameters = request.GetParameters()
                    .Where(p => p.Key is not ("confirm" or "__RequestVerificationToken"))
                    .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value));
                return Results.Redirect("/sign-out/confirm" + QueryString.Create(parameters));
            }

            // The session's SAML agencies are told through the browser first (Single Logout); the browser then comes back
            // here with the same request, no session is left, and OpenIddict answers it as below.
            var back = OidcServiceCollectionExtensions.EndSessionPath + QueryString.Create(request.GetParameters()
                .Where(p => p.Key is not ("confirm" or "__RequestVerificationToken"))
                .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value)));
            if (await flow.SignOutAsync(http, citizen.Principal, back, thisSession ? request.ClientId ?? hint.Principal?.GetAudiences().FirstOrDefault() : null, ct) is { } next)
            {
                return Results.Redirect(next);
            }
        }

        // OpenIddict redirects to post_logout_redirect_uri when it is registered for the client, else to the hub's home.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>
    /// RFC 9449 §7: a DPoP-bound access token is accepted only with the DPoP scheme and a fresh proof by its key for this
    /// request (htm, htu, ath); a bearer token only with the Bearer scheme. Refusals say DPoP in WWW-Authenticate.
    /// </summary>
    private static async Task<IResult?> DpopProblemAsync(HttpContext http, ClaimsPrincipal token, DpopProofs proofs, CancellationToken ct)
    {
        var bound = DpopProofs.BoundKeyOf(token);
        var scheme = http.Features.Get<OpenIddictServerAspNetCoreFeature>()?.Transaction?.Properties.ContainsKey(DpopHandlers.SchemeProperty) == true;
        if (bound is null && !scheme)
        {
            return null;
        }

        string? problem;
        var error = DpopProofs.InvalidProof;
        if (bound is null || !scheme)
        {
            error = Errors.InvalidToken;
            problem = bound is null ? "This access token is not DPoP-bound: present it with the Bearer scheme." : "This access token is DPoP-bound: present it with the DPoP scheme and a proof.";
        }
        else
        {
            var accessToken = http.GetOpenIddictServerRequest()?.AccessToken ?? "";
            var issuer = http.Features.Get<OpenIddictServerAspNetCoreFeature>()?.Transaction?.Options.Issuer ?? new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
            var check = await proofs.CheckAsync(http.Request, new Uri(issuer.AbsoluteUri.TrimEnd('/') + OidcServiceCollectionExtensions.UserInfoPath), accessToken, ct);
            problem = !check.Succeeded ? check.Problem
                : check.Jkt != bound ? "The DPoP proof is made with another key than the one the access token is bound to." : null;
        }

        if (problem is null)
        {
            return null;
        }

        http.Response.Headers.WWWAuthenticate = $"{DpopProofs.Scheme} error=\"{error}\", error_description=\"{problem}\", algs=\"{string.Join(' ', DpopProofs.Algorithms)}\"";
        return Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = problem }, statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary>ui_locales: the pages on the way (login, step-up) speak the first of the citizen's languages the hub has.</summary>
    private static void UseCulture(HttpContext http, RequestedAuthentication asked)
    {
        if (asked.Culture is { } culture)
        {
            http.Response.Cookies.Append(Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName, RequestedAuthentication.CultureCookie(culture),
                new CookieOptions { HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
        }
    }

    private static string ReturnUrl(HttpContext http, OpenIddictRequest request, bool dropPromptLogin)
    {
        if (request.RequestUri is { } requestUri)
        {
            return http.Request.PathBase + OidcServiceCollectionExtensions.AuthorizePath + QueryString.Create(
                new Dictionary<string, string?> { [Parameters.ClientId] = request.ClientId, [Parameters.RequestUri] = requestUri });
        }

        var parameters = request.GetParameters()
            .Where(p => !(dropPromptLogin && p.Key == Parameters.Prompt) && !ConsentForm.Fields.Contains(p.Key))
            .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value));
        var prompt = request.Prompt;
        if (dropPromptLogin && prompt is not null)
        {
            var rest = string.Join(' ', prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p != PromptValues.Login));
            if (rest.Length > 0)
            {
                parameters = parameters.Append(new KeyValuePair<string, string?>(Parameters.Prompt, rest));
            }
        }

        return http.Request.PathBase + OidcServiceCollectionExtensions.AuthorizePath + QueryString.Create(parameters);
    }

    private static IResult Error(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
