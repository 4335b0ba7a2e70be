using System.Security.Claims;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc.Consent;

/// <summary>
/// The consent step of the authorization endpoint, after the login and the level (decision 0020). A government service
/// (implicit consent type) goes on at once. Any other client needs a permanent OpenIddict authorization of the citizen's
/// account for the client that covers every scope asked for; prompt=consent asks even so; prompt=none without one is
/// consent_required (OpenID Connect Core §3.1.2.6). The answer comes back as a POST of the same authorization request,
/// which OpenIddict validates again, with the antiforgery token and a ticket binding it to the client, scopes and session
/// the page showed. The authorization's id goes on the principal, so that withdrawing it ends its tokens.
/// </summary>
internal sealed class OidcConsentStep(
    IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, ConsentTickets tickets,
    IAntiforgery antiforgery, AuditLog audit, TimeProvider time)
{
    /// <summary>Null: go on and issue (the principal carries the authorization id when consent applies). Otherwise the answer.</summary>
    public async Task<IResult?> ApplyAsync(HttpContext http, OpenIddictRequest request, object application, ClaimsPrincipal citizen, ClaimsPrincipal principal, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(principal);
        if (await applications.GetConsentTypeAsync(application, ct) != ConsentTypes.Explicit)
        {
            return null;
        }

        if (citizen.AccountIdOf() is not { } accountId || citizen.SessionIdOf() is not { } sessionId)
        {
            return Error(Errors.LoginRequired, "The hub session has ended.");
        }

        var clientId = request.ClientId!;
        var applicationId = (await applications.GetIdAsync(application, ct))!;
        var subject = SubjectOf(accountId);
        var scopes = request.GetScopes();

        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType && http.Request.Form[ConsentForm.DecisionField].ToString() is { Length: > 0 } decision)
        {
            // The page's antiforgery token was made for the signed-in citizen: validate it against the same principal.
            http.User = citizen;
            var genuine = await antiforgery.IsRequestValidAsync(http)
                && tickets.Matches(http.Request.Form[ConsentForm.TicketField], clientId, scopes, sessionId);
            if (genuine && decision == ConsentForm.Deny)
            {
                await audit.AppendAsync(new AuditEvent("oidc.consent.denied", citizen.Identity!.Name!, citizen.Identity.Name!, new Dictionary<string, string>
                {
                    ["client"] = clientId,
                    ["scopes"] = string.Join(' ', scopes),
                }), ct);
                return Error(Errors.AccessDenied, "The citizen did not allow this service to receive their details.");
            }

            if (genuine && decision == ConsentForm.Allow)
            {
                principal.SetAuthorizationId(await GrantAsync(citizen, subject, applicationId, clientId, scopes, ct));
                return null;
            }

            // A forged, edited or stale answer grants nothing: the citizen is asked again below.
        }

        if (!request.HasPromptValue(PromptValues.Consent))
        {
            await foreach (var existing in authorizations.FindAsync(subject, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes, ct))
            {
                principal.SetAuthorizationId(await authorizations.GetIdAsync(existing, ct));
                return null;
            }
        }

        if (request.HasPromptValue(PromptValues.None))
        {
            return Error(Errors.ConsentRequired, "The citizen has not allowed this service to receive these details.");
        }

        var parameters = request.GetParameters()
            .Where(p => !ConsentForm.Fields.Contains(p.Key))
            .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value));
        return Results.Redirect(http.Request.PathBase + ConsentForm.PagePath + QueryString.Create(parameters));
    }

    /// <summary>
    /// The authorization's subject: the citizen's account id, not the token's sub. The sub is pairwise per sector, so it
    /// cannot list one citizen's consents across agencies without recomputing it in the HSM for every sector; the
    /// national identifier would add a cleartext link from every agency to the person in one more table.
    /// </summary>
    internal static string SubjectOf(Guid accountId) => accountId.ToString("D");

    private async Task<string> GrantAsync(ClaimsPrincipal citizen, string subject, string applicationId, string clientId, System.Collections.Immutable.ImmutableArray<string> scopes, CancellationToken ct)
    {
        // Consent is remembered per client and scope set: the new authorization covers what was allowed before too, so
        // a later request for any of these scopes is answered without asking.
        var granted = new SortedSet<string>(scopes, StringComparer.Ordinal);
        await foreach (var earlier in authorizations.FindAsync(subject, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes: null, ct))
        {
            granted.UnionWith(await authorizations.GetScopesAsync(earlier, ct));
        }

        var descriptor = new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = applicationId,
            Subject = subject,
            Status = Statuses.Valid,
            Type = AuthorizationTypes.Permanent,
            CreationDate = time.GetUtcNow(),
        };
        descriptor.Scopes.UnionWith(granted);
        var authorization = await authorizations.CreateAsync(descriptor, ct);
        var id = (await authorizations.GetIdAsync(authorization, ct))!;
        await audit.AppendAsync(new AuditEvent("oidc.consent.granted", citizen.Identity!.Name!, citizen.Identity.Name!, new Dictionary<string, string>
        {
            ["client"] = clientId,
            ["scopes"] = string.Join(' ', granted),
            ["authorization"] = id,
        }), ct);
        return id;
    }

    private static IResult Error(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
