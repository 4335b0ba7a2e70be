using System.Xml;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Validation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Sso;

/// <summary>
/// Web Browser SSO (saml-profiles-2.0-os §4.1) on the hub session: an AuthnRequest is read strictly (Bindings/,
/// Validation/, Samlp/), checked against the registered SP, remembered once (the replay cache), and answered after the
/// same login and step-up the OpenID provider uses. Until the request's SP and ACS are established, problems get an
/// error page; after that, a SAML error Response at that ACS (§4.1.4.2: the SP is told).
/// </summary>
internal sealed class SamlSignIn(
    HubDbContext db,
    ServiceProviders providers,
    SamlAnswers answers,
    AssurancePolicy policy,
    AccountMethods methods,
    AuditLog audit,
    TimeProvider time,
    IOptions<SamlOptions> options,
    Consent.SamlConsents consents)
{
    public const string SsoPath = "/saml/sso";
    public const string ContinuePath = "/saml/sso/continue/";

    /// <summary>Step 1: an AuthnRequest arrives (HTTP-Redirect or HTTP-POST).</summary>
    public async Task<SsoOutcome> ReceiveAsync(HttpContext http, CancellationToken ct)
    {
        var settings = options.Value;
        var read = HttpMethods.IsPost(http.Request.Method)
            ? await PostBindingRequest.ReadAsync(http.Request, settings.MaxMessageBytes, ct)
            : SamlMessageReader.ReadRedirect(http.Request.QueryString.Value ?? "", "SAMLRequest", settings.MaxMessageBytes);
        if (read.Message is not { } message)
        {
            return await RefuseAsync(null, read.Problem!, ct);
        }

        // The Issuer of the unverified message only chooses whose keys to verify with; nothing else is read before that.
        var issuer = IssuerOf(message.Root);
        var sp = issuer is null ? null : await providers.FindAsync(issuer, ct);
        if (sp is null)
        {
            return await RefuseAsync(issuer, new SamlProblem(SamlStatus.Requester, "unknown-sp",
                issuer is null ? "The request names no Issuer." : "The service provider is not registered at this hub, or is disabled."), ct);
        }

        var signature = SignatureVerifier.Verify(message, sp.Metadata.SigningCertificates);
        if (!signature.Succeeded)
        {
            return await RefuseAsync(sp.EntityId, signature.Problem!, ct);
        }

        if (!signature.Signed && sp.Record.RequireSignedRequests)
        {
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, "unsigned", "This service provider's requests must be signed."), ct);
        }

        var root = signature.VerifiedRoot ?? message.Root;
        var now = time.GetUtcNow();
        var (request, problem) = AuthnRequestReader.Read(root, now, settings.ClockSkew);
        if (request is null)
        {
            // The SP is known and its signature (if required) holds: it is told at its default ACS.
            return await AnswerErrorAsync(http, sp, sp.DefaultAcs?.Location, root.GetAttribute("ID"), message.RelayState, problem!, ct);
        }

        if (!string.Equals(request.Issuer, sp.EntityId, StringComparison.Ordinal))
        {
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, "issuer", "The request's Issuer is not the service provider whose key signed it."), ct);
        }

        var acs = sp.AcsFor(request.AssertionConsumerServiceUrl, request.AssertionConsumerServiceIndex);
        if (acs is null)
        {
            // saml-profiles §4.1.4.1: an ACS the metadata does not list gets nothing, not even an error.
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, "unknown-acs",
                "The request asks for an answer at an address the service provider's metadata does not list."), ct);
        }

        var sso = SsoUrl(http);
        if (request.Destination is not null ? !string.Equals(request.Destination, sso, StringComparison.Ordinal) : signature.Signed && message.Binding == SamlBindings.HttpPost)
        {
            // saml-bindings §3.5.5.2: a signed POST message carries its Destination, and it must be this endpoint.
            return await AnswerErrorAsync(http, sp, acs.Location, request.Id, message.RelayState,
                new SamlProblem(SamlStatus.Requester, "destination", "The request's Destination is not this identity provider's SSO endpoint."), ct);
        }

        if (request.NameIdPolicyFormat is { } format && format != SamlNameIdFormats.Unspecified && format != sp.NameIdFormatUri)
        {
            return await AnswerErrorAsync(http, sp, acs.Location, request.Id, message.RelayState,
                Second(SamlStatus.Requester, SamlStatus.InvalidNameIdPolicy, "name-id-policy", $"This service provider gets NameIDs in format {sp.NameIdFormatUri} only."), ct);
        }

        if (RequestedLevel.Resolve(request.Comparison, request.RequestedClassRefs, sp.MinimumLevel) is not { } level)
        {
            return await AnswerErrorAsync(http, sp, acs.Location, request.Id, message.RelayState,
                Second(SamlStatus.Responder, SamlStatus.NoAuthnContext, "no-authn-context", "No level of assurance the hub offers meets the requested authentication context."), ct);
        }

        // Only a passive request needs the session here (its cookie validation is a query); the continue step reads it anyway.
        var citizen = request.IsPassive ? await CitizenAsync(http) : null;
        if (request.IsPassive && (citizen is null || request.ForceAuthn || level.StatedFor(citizen.LevelOf()) == LevelOfAssurance.None))
        {
            return await AnswerErrorAsync(http, sp, acs.Location, request.Id, message.RelayState,
                Second(SamlStatus.Responder, SamlStatus.NoPassive, "no-passive", "The citizen would have to sign in, and the request is passive."), ct);
        }

        var pending = new SamlRequestRecord
        {
            Id = Guid.CreateVersion7(now),
            SpEntityId = sp.EntityId,
            RequestId = request.Id,
            AcsUrl = acs.Location,
            RelayState = message.RelayState,
            Levels = level.Names,
            ForceAuthn = request.ForceAuthn,
            NameIdFormat = request.NameIdPolicyFormat,
            CreatedAt = now,
            ExpiresAt = now + settings.RequestLifetime,
        };
        if (request.IsPassive && await ConsentAsync(http, sp, pending, citizen!, passive: true, ct) is { } withoutConsent)
        {
            return withoutConsent;
        }

        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO saml.requests ("Id", "SpEntityId", "RequestId", "AcsUrl", "RelayState", "Levels", "ForceAuthn", "NameIdFormat", "CreatedAt", "ExpiresAt")
            VALUES ({pending.Id}, {pending.SpEntityId}, {pending.RequestId}, {pending.AcsUrl}, {pending.RelayState}, {pending.Levels},
                    {pending.ForceAuthn}, {pending.NameIdFormat}, {pending.CreatedAt}, {pending.ExpiresAt})
            ON CONFLICT ("SpEntityId", "RequestId") DO NOTHING
            """, ct);
        if (inserted == 0)
        {
            // The replay cache: an AuthnRequest ID is accepted once (saml-profiles §4.1.4.1 advises it; a replayed request is an attack).
            return await AnswerErrorAsync(http, sp, acs.Location, request.Id, message.RelayState,
                Second(SamlStatus.Requester, SamlStatus.RequestDenied, "replayed", "This request was received before; a request is answered once."), ct);
        }

        return SsoOutcome.Redirect(ContinuePath + pending.Id.ToString("N"));
    }

    /// <summary>Step 2: the pending request, after (or without) the citizen's login and step-up.</summary>
    public async Task<SsoOutcome> ContinueAsync(HttpContext http, Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var pending = await db.SamlRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (pending is null || pending.ExpiresAt <= now || pending.AnsweredAt is not null)
        {
            return SsoOutcome.ErrorPage(SamlAnswers.ErrorPage("This sign-in request has expired or was answered already. Go back to the service and start again."));
        }

        var sp = await providers.FindAsync(pending.SpEntityId, ct);
        if (sp is null)
        {
            return SsoOutcome.ErrorPage(SamlAnswers.ErrorPage("The service that asked is no longer registered at this hub."));
        }

        var levels = RequestedLevel.FromNames(pending.Levels)!;
        var target = levels.Target;
        var name = target.ToString().ToLowerInvariant();
        var back = ContinuePath + id.ToString("N");
        var citizen = await CitizenAsync(http);
        // The cookie's validation read this session in this request (HubCookies keeps it in Items); the database only when it did not.
        var session = citizen?.SessionIdOf() is not { } sessionId ? null
            : http.Items[typeof(Data.Accounts.SessionRecord)] is Data.Accounts.SessionRecord { EndedAt: null } validated && validated.Id == sessionId ? validated
            : await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.EndedAt == null, ct);
        if (citizen is null || session is null || (pending.ForceAuthn && AuthenticatedAt(session) < pending.CreatedAt))
        {
            // ForceAuthn (saml-core §3.4.1): a login after the request arrived, whatever the session holds.
            return SsoOutcome.Redirect($"/login?level={name}&returnUrl={Uri.EscapeDataString(back)}");
        }

        if (levels.StatedFor(citizen.LevelOf()) == LevelOfAssurance.None)
        {
            if (!await CanReachAsync(citizen, session, target, ct))
            {
                return await AnswerClaimedErrorAsync(http, sp, pending, Second(SamlStatus.Responder, SamlStatus.NoAuthnContext, "level-unreachable",
                    $"The citizen has no means to sign in at level {name}."), ct);
            }

            return SsoOutcome.Redirect($"/account/step-up?level={name}&returnUrl={Uri.EscapeDataString(back)}");
        }

        if (await ConsentAsync(http, sp, pending, citizen, passive: false, ct) is { } consent)
        {
            return consent;
        }

        if (!await ClaimAsync(id, ct))
        {
            return AnsweredAlready();
        }

        return SsoOutcome.Post(await answers.SuccessAsync(http, sp, pending, citizen, session, levels.StatedFor(citizen.LevelOf()), ct));
    }

    /// <summary>
    /// Consent (docs/saml.md "Consent", the OpenID provider's rules): null when the SP is a government service or the
    /// citizen's stored consent covers what it receives. Otherwise: after the citizen's refusal on the consent page, a
    /// RequestDenied answer (claimed like any answer to a stored request, so it cannot be answered twice); for a passive request,
    /// which may not show a page (saml-core §3.4.1), RequestDenied too, since SAML has no consent_required; else the
    /// way to the consent page.
    /// </summary>
    private async Task<SsoOutcome?> ConsentAsync(
        HttpContext http, RegisteredServiceProvider sp, SamlRequestRecord pending, System.Security.Claims.ClaimsPrincipal citizen, bool passive, CancellationToken ct)
    {
        if (!passive && consents.DeniedIn(http, pending.Id, citizen))
        {
            return await AnswerClaimedErrorAsync(http, sp, pending, Second(SamlStatus.Responder, SamlStatus.RequestDenied, "consent-denied",
                "The citizen did not allow this service to receive their details."), ct);
        }

        if (await consents.CoversAsync(sp, citizen, ct))
        {
            return null;
        }

        return passive
            ? await AnswerPendingErrorAsync(http, sp, pending, Second(SamlStatus.Responder, SamlStatus.RequestDenied, "consent-required",
                "The citizen has not allowed this service to receive these details, and the request is passive."), ct)
            : SsoOutcome.Redirect(Consent.SamlConsents.PagePath + pending.Id.ToString("N"));
    }

    /// <summary>Whether step-up can lift the session to <paramref name="target"/> with the methods the account has.</summary>
    private async Task<bool> CanReachAsync(System.Security.Claims.ClaimsPrincipal citizen, Data.Accounts.SessionRecord session, LevelOfAssurance target, CancellationToken ct)
    {
        var account = citizen.AccountIdOf() is { } accountId ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == accountId, ct) : null;
        return account is not null
            && policy.Missing(HubSessions.AuthenticationsOf(session), target, (await methods.OfAsync(account, ct)).Usable()) is not null;
    }

    /// <summary>The session's last authentication (OIDC's auth_time).</summary>
    internal static DateTimeOffset AuthenticatedAt(Data.Accounts.SessionRecord session) =>
        HubSessions.AuthenticationsOf(session).Select(a => a.At).DefaultIfEmpty(session.CreatedAt).Max();

    private static async Task<System.Security.Claims.ClaimsPrincipal?> CitizenAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(HubSchemes.Citizen);
        return result.Succeeded && result.Principal.SetupRequiredOf() is null ? result.Principal : null;
    }

    /// <summary>The unverified message's Issuer: it only chooses whose keys verify the message.</summary>
    internal static string? IssuerOf(XmlElement root)
    {
        foreach (XmlNode child in root.ChildNodes)
        {
            if (child is XmlElement { LocalName: "Issuer", NamespaceURI: SamlNames.Assertion } issuer)
            {
                var text = string.Concat(issuer.ChildNodes.OfType<XmlText>().Select(t => t.Value)).Trim();
                return text.Length is > 0 and <= 1024 ? text : null;
            }
        }

        return null;
    }

    private static SamlProblem Second(string top, string second, string code, string detail) => new(top, code, detail) { SecondLevelStatusCode = second };

    internal static string SsoUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{SsoPath}";

    private async Task<SsoOutcome> AnswerErrorAsync(
        HttpContext http, RegisteredServiceProvider sp, string? acs, string? inResponseTo, string? relayState, SamlProblem problem, CancellationToken ct)
    {
        await AuditRefusalAsync(sp.EntityId, problem, ct);
        return acs is null
            ? SsoOutcome.ErrorPage(SamlAnswers.ErrorPage(problem.Detail))
            : SsoOutcome.Post(await answers.ErrorAsync(http, sp, acs, inResponseTo, relayState, problem, ct));
    }

    private Task<SsoOutcome> AnswerPendingErrorAsync(HttpContext http, RegisteredServiceProvider sp, SamlRequestRecord pending, SamlProblem problem, CancellationToken ct) =>
        AnswerErrorAsync(http, sp, pending.AcsUrl, pending.RequestId, pending.RelayState, problem, ct);

    /// <summary>An error answer to a stored request, claimed like a success: the request is answered once, error or not.</summary>
    private async Task<SsoOutcome> AnswerClaimedErrorAsync(HttpContext http, RegisteredServiceProvider sp, SamlRequestRecord pending, SamlProblem problem, CancellationToken ct) =>
        await ClaimAsync(pending.Id, ct) ? await AnswerPendingErrorAsync(http, sp, pending, problem, ct) : AnsweredAlready();

    /// <summary>Marks a stored request answered; false when it was already (whichever node gets here first answers).</summary>
    private async Task<bool> ClaimAsync(Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.SamlRequests.Where(r => r.Id == id && r.AnsweredAt == null).ExecuteUpdateAsync(u => u.SetProperty(r => r.AnsweredAt, now), ct) > 0;
    }

    private static SsoOutcome AnsweredAlready() =>
        SsoOutcome.ErrorPage(SamlAnswers.ErrorPage("This sign-in request was answered already. Go back to the service and start again."));

    private async Task<SsoOutcome> RefuseAsync(string? sp, SamlProblem problem, CancellationToken ct)
    {
        await AuditRefusalAsync(sp, problem, ct);
        return SsoOutcome.ErrorPage(SamlAnswers.ErrorPage(problem.Detail));
    }

    private Task AuditRefusalAsync(string? sp, SamlProblem problem, CancellationToken ct) =>
        audit.AppendAsync(problem.Audited("saml.request.refused", sp), ct);
}
