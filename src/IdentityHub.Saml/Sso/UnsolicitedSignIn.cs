using System.Text;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Sso;

/// <summary>
/// IdP-initiated Web Browser SSO (saml-profiles-2.0-os §4.1.5, "unsolicited responses"): the hub sends a citizen to an SP
/// that asked for nothing. Only SPs registered to accept it (`hubctl saml sp add --allow-unsolicited`) get such an
/// answer: an unsolicited Response cannot be tied to a request at the SP, so an SP that does not expect one must not be
/// sent one (it is also how an attacker would plant a login in a victim's browser). The query follows Shibboleth's
/// <c>/profile/SAML2/Unsolicited/SSO?providerId=…&amp;target=…</c>. An accepted one becomes a pending request without a
/// request ID (saml.requests) and goes through the same continue step as an AuthnRequest: login and step-up at the SP's
/// minimum level, answered once, to the SP's default ACS, with no InResponseTo in the Response or its
/// SubjectConfirmationData (saml-core §3.2.2, §2.4.1.2).
/// </summary>
internal sealed class UnsolicitedSignIn(HubDbContext db, ServiceProviders providers, AuditLog audit, TimeProvider time, IOptions<SamlOptions> options)
{
    public const string Path = "/saml/sso/unsolicited";
    public const string NotAllowed = "unsolicited-not-allowed";

    public async Task<SsoOutcome> StartAsync(HttpContext http, CancellationToken ct)
    {
        var query = http.Request.Query;
        var providerId = query["providerId"];
        var target = query["target"];
        if (providerId.Count != 1 || string.IsNullOrWhiteSpace(providerId[0]) || providerId[0]!.Length > 1024 || target.Count > 1)
        {
            return await RefuseAsync(null, StatusCodes.Status400BadRequest,
                new SamlProblem(SamlStatus.Requester, "unknown-sp", "The link names no service provider (providerId), or names more than one."), ct);
        }

        var sp = await providers.FindAsync(providerId[0]!, ct);
        if (sp is null)
        {
            return await RefuseAsync(providerId[0], StatusCodes.Status400BadRequest,
                new SamlProblem(SamlStatus.Requester, "unknown-sp", "The service provider is not registered at this hub, or is disabled."), ct);
        }

        if (!sp.Record.AllowUnsolicited)
        {
            return await RefuseAsync(sp.EntityId, StatusCodes.Status403Forbidden, new SamlProblem(SamlStatus.Requester, NotAllowed,
                "This service does not accept sign-ins started at the hub. Start at the service's own site."), ct);
        }

        // saml-bindings-2.0-os §3.5.3: RelayState is at most 80 bytes; the SP gets it back unchanged and must check it itself.
        var relayState = target.Count == 1 ? target[0] : null;
        if (relayState is not null && Encoding.UTF8.GetByteCount(relayState) > SamlBindings.MaxRelayStateBytes)
        {
            return await RefuseAsync(sp.EntityId, StatusCodes.Status400BadRequest,
                new SamlProblem(SamlStatus.Requester, SamlProblemCodes.RelayStateTooLong, "The target (RelayState) is longer than the 80 bytes the binding allows."), ct);
        }

        if (sp.DefaultAcs is not { } acs || RequestedLevel.Resolve(null, [], sp.MinimumLevel) is not { } level)
        {
            return await RefuseAsync(sp.EntityId, StatusCodes.Status400BadRequest,
                new SamlProblem(SamlStatus.Responder, "unknown-acs", "The service provider's metadata lists no address to answer at."), ct);
        }

        var now = time.GetUtcNow();
        var pending = new SamlRequestRecord
        {
            Id = Guid.CreateVersion7(now),
            SpEntityId = sp.EntityId,
            RequestId = null, // unsolicited: no request to answer, so no InResponseTo; never in the replay cache's unique index
            AcsUrl = acs.Location,
            RelayState = relayState,
            Levels = level.Names,
            CreatedAt = now,
            ExpiresAt = now + options.Value.RequestLifetime,
        };
        db.SamlRequests.Add(pending);
        await db.SaveChangesAsync(ct);
        return SsoOutcome.Redirect(SamlSignIn.ContinuePath + pending.Id.ToString("N"));
    }

    private async Task<SsoOutcome> RefuseAsync(string? sp, int status, SamlProblem problem, CancellationToken ct)
    {
        await audit.AppendAsync(problem.Audited("saml.request.refused", sp, ("unsolicited", "true")), ct);
        return new SsoOutcome(null, SamlAnswers.ErrorPage(problem.Detail), status);
    }
}
