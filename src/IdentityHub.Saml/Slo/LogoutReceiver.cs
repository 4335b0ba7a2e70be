using IdentityHub.Authentication.Agencies;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Sso;
using IdentityHub.Saml.Validation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Slo;

/// <summary>
/// The SingleLogoutService (saml-profiles-2.0-os §4.4.4) on HTTP-Redirect and HTTP-POST. A LogoutRequest from an SP
/// (SP-initiated) or a LogoutResponse to one the hub sent is read as strictly as an AuthnRequest and must be signed with
/// the SP's registered key (§4.4.4.1, §4.4.4.2: front-channel logout messages are signed). A LogoutRequest names its
/// principal by the NameID the SP was given and the sessions by SessionIndex (without one, the browser's own session);
/// its sessions end and the other SPs of them are told (<see cref="LogoutChain"/>); the request's ID is accepted once.
/// What cannot be trusted gets an error page; what can, a LogoutResponse with the status.
/// </summary>
internal sealed class LogoutReceiver(
    HubDbContext db,
    ServiceProviders providers,
    SingleLogout logouts,
    LogoutChain chain,
    PairwiseSubjects subjects,
    AuditLog audit,
    TimeProvider time,
    IOptions<SamlOptions> options)
{
    private const string RequestParameter = "SAMLRequest";
    private const string ResponseParameter = "SAMLResponse";

    public async Task<SsoOutcome> ReceiveAsync(HttpContext http, CancellationToken ct)
    {
        var settings = options.Value;
        SamlReadResult read;
        string parameter;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var form = await FormAsync(http.Request, ct);
            parameter = form?.ContainsKey(RequestParameter) == true ? RequestParameter : ResponseParameter;
            read = http.Request.HasFormContentType && form is null
                ? SamlReadResult.Refused(SamlProblem.Requester(SamlProblemCodes.MalformedForm, "The form could not be read."))
                : form?.ContainsKey(RequestParameter) == true && form.ContainsKey(ResponseParameter)
                ? SamlReadResult.Refused(SamlProblem.Requester(SamlProblemCodes.DuplicateParameter, "The message carries both a request and a response."))
                : SamlMessageReader.ReadPost(form?[parameter], form?["RelayState"], settings.MaxMessageBytes);
        }
        else
        {
            parameter = http.Request.Query.ContainsKey(RequestParameter) ? RequestParameter : ResponseParameter;
            read = http.Request.Query.ContainsKey(RequestParameter) && http.Request.Query.ContainsKey(ResponseParameter)
                ? SamlReadResult.Refused(SamlProblem.Requester(SamlProblemCodes.DuplicateParameter, "The message carries both a request and a response."))
                : SamlMessageReader.ReadRedirect(http.Request.QueryString.Value ?? "", parameter, settings.MaxMessageBytes);
        }

        if (read.Message is not { } message)
        {
            return await RefuseAsync(null, read.Problem!, ct);
        }

        var issuer = SamlSignIn.IssuerOf(message.Root);
        var sp = issuer is null ? null : await providers.FindAsync(issuer, ct);
        if (sp is null)
        {
            return await RefuseAsync(issuer, new SamlProblem(SamlStatus.Requester, "unknown-sp",
                issuer is null ? "The message names no Issuer." : "The service provider is not registered at this hub, or is disabled."), ct);
        }

        var signature = SignatureVerifier.Verify(message, sp.Metadata.SigningCertificates);
        if (!signature.Succeeded)
        {
            return await RefuseAsync(sp.EntityId, signature.Problem!, ct);
        }

        if (!signature.Signed)
        {
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, SamlProblemCodes.Unsigned, "A logout message must be signed by the service provider."), ct);
        }

        var root = signature.VerifiedRoot ?? message.Root;
        return parameter == RequestParameter
            ? await RequestAsync(http, sp, message, root, ct)
            : await ResponseAsync(http, sp, root, ct);
    }

    private async Task<SsoOutcome> RequestAsync(HttpContext http, RegisteredServiceProvider sp, ReceivedMessage message, System.Xml.XmlElement root, CancellationToken ct)
    {
        var endpoint = LogoutChain.EndpointOf(sp, message.Binding);
        var (request, problem) = LogoutRequestReader.Read(root, time.GetUtcNow(), options.Value.ClockSkew);
        if (request is null)
        {
            return await AnswerErrorAsync(http, sp, endpoint, root.GetAttribute("ID"), message.RelayState, problem!, ct);
        }

        if (!string.Equals(request.Issuer, sp.EntityId, StringComparison.Ordinal))
        {
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, "issuer", "The request's Issuer is not the service provider whose key signed it."), ct);
        }

        if (!string.Equals(request.Destination, SloUrl(http), StringComparison.Ordinal))
        {
            // saml-bindings §3.4.5.2, §3.5.5.2: a signed message names the endpoint it was sent to, and it must be this one.
            return await AnswerErrorAsync(http, sp, endpoint, request.Id, message.RelayState,
                new SamlProblem(SamlStatus.Requester, "destination", "The request's Destination is not this identity provider's logout endpoint."), ct);
        }

        var browser = (await http.AuthenticateAsync(HubSchemes.Citizen)).Principal?.SessionIdOf();
        var (accountId, nationalId, sessionIds) = await PrincipalAsync(sp, request, browser, ct);
        if (accountId is null)
        {
            return await AnswerErrorAsync(http, sp, endpoint, request.Id, message.RelayState,
                new SamlProblem(SamlStatus.Requester, "unknown-principal", "The NameID and SessionIndex name no session this service provider was given.")
                {
                    SecondLevelStatusCode = SamlStatus.UnknownPrincipal,
                }, ct);
        }

        var (id, replayed) = await logouts.BeginAsync(http, accountId.Value, sessionIds, "saml-logout",
            new LogoutInitiator(sp.EntityId, request.Id, message.RelayState, endpoint), null, ct);
        if (replayed || id is null)
        {
            return await AnswerErrorAsync(http, sp, endpoint, request.Id, message.RelayState,
                new SamlProblem(SamlStatus.Requester, "replayed", "This logout request was received before; a request is answered once.") { SecondLevelStatusCode = SamlStatus.RequestDenied }, ct);
        }

        if (browser is { } own && sessionIds.Contains(own))
        {
            await http.SignOutAsync(HubSchemes.Citizen);
        }

        await audit.AppendAsync(new AuditEvent("saml.logout.requested", sp.EntityId, nationalId!, new Dictionary<string, string>
        {
            ["logout"] = id.Value.ToString(),
            ["requestId"] = request.Id,
            ["sessions"] = string.Join(' ', sessionIds),
            ["binding"] = message.Binding,
        }), ct);
        return SsoOutcome.Redirect(SingleLogout.ContinuePath + id.Value.ToString("N"));
    }

    /// <summary>
    /// The account and sessions a LogoutRequest names: the sessions given its SessionIndexes (or, without any, the
    /// browser's own session) in which this SP was given exactly this NameID. Null when there is none, or more than one account.
    /// </summary>
    private async Task<(Guid? AccountId, string? NationalId, List<Guid> SessionIds)> PrincipalAsync(
        RegisteredServiceProvider sp, LogoutRequestMessage request, Guid? browser, CancellationToken ct)
    {
        var indexes = request.SessionIndexes.ToList();
        if (indexes.Count == 0 && browser is null)
        {
            return (null, null, []);
        }

        var candidates = await (
            from p in db.SamlSessionServiceProviders.AsNoTracking()
            join s in db.Sessions.AsNoTracking() on p.SessionId equals s.Id
            join u in db.Users.AsNoTracking() on s.AccountId equals u.Id
            where p.SpEntityId == sp.EntityId && (indexes.Count > 0 ? indexes.Contains(p.SessionIndex) : p.SessionId == browser)
            select new { Participation = p, s.AccountId, u.UserName }).ToListAsync(ct);
        var matching = candidates.Where(c => c.UserName is not null
            && string.Equals(sp.NameIdGivenIn(c.Participation, c.UserName, subjects), request.NameId.Value, StringComparison.Ordinal)
            && (request.NameId.Format is null || request.NameId.Format == SamlNameIdFormats.Unspecified
                || request.NameId.Format == RegisteredServiceProvider.FormatUriOf(c.Participation.NameIdFormat))).ToList();
        return matching.Count == 0 || matching.Select(m => m.AccountId).Distinct().Count() != 1
            ? (null, null, [])
            : (matching[0].AccountId, matching[0].UserName, matching.Select(m => m.Participation.SessionId).Distinct().ToList());
    }

    private async Task<SsoOutcome> ResponseAsync(HttpContext http, RegisteredServiceProvider sp, System.Xml.XmlElement root, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (response, problem) = LogoutResponseReader.Read(root, now, options.Value.ClockSkew);
        if (response is null)
        {
            return await RefuseAsync(sp.EntityId, problem!, ct);
        }

        if (!string.Equals(response.Issuer, sp.EntityId, StringComparison.Ordinal))
        {
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, "issuer", "The response's Issuer is not the service provider whose key signed it."), ct);
        }

        if (!string.Equals(response.Destination, SloUrl(http), StringComparison.Ordinal))
        {
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, "destination", "The response's Destination is not this identity provider's logout endpoint."), ct);
        }

        var party = response.InResponseTo is { } inResponseTo
            ? await db.SamlLogoutParties.AsNoTracking().FirstOrDefaultAsync(p => p.RequestId == inResponseTo && p.SpEntityId == sp.EntityId, ct)
            : null;
        if (party is null)
        {
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, "unknown-request", "The response answers no logout request this hub sent to this service provider."), ct);
        }

        // Success alone confirms; PartialLogout under it (the SP could not tell everyone) or any other status does not.
        var confirmed = response.StatusCode == SamlStatus.Success && response.SecondLevelStatusCode is null;
        var status = response.SecondLevelStatusCode is { } second ? response.StatusCode + " " + second : response.StatusCode;
        var answered = await db.SamlLogoutParties.Where(p => p.LogoutId == party.LogoutId && p.SpEntityId == sp.EntityId && p.Outcome == LogoutOutcomes.Sent)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Outcome, confirmed ? LogoutOutcomes.Confirmed : LogoutOutcomes.Refused)
                .SetProperty(p => p.StatusCode, status.Length > 300 ? status[..300] : status).SetProperty(p => p.AnsweredAt, now), ct);
        if (answered == 0)
        {
            return await RefuseAsync(sp.EntityId, new SamlProblem(SamlStatus.Requester, "replayed", "This logout response was received before; a response is taken once."), ct);
        }

        return SsoOutcome.Redirect(SingleLogout.ContinuePath + party.LogoutId.ToString("N"));
    }

    /// <summary>The posted form; null when there is none or ASP.NET will not decode it (a %00 in a value, a field past its limits).</summary>
    private static async Task<IFormCollection?> FormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    internal static string SloUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{SingleLogout.SloPath}";

    private async Task<SsoOutcome> AnswerErrorAsync(
        HttpContext http, RegisteredServiceProvider sp, Metadata.SpEndpoint? endpoint, string? inResponseTo, string? relayState, SamlProblem problem, CancellationToken ct)
    {
        await AuditRefusalAsync(sp.EntityId, problem, ct);
        if (endpoint is null || string.IsNullOrEmpty(inResponseTo))
        {
            return SsoOutcome.ErrorPage(LogoutPages.Refused(problem.Detail));
        }

        var url = endpoint.ResponseLocation ?? endpoint.Location;
        var document = LogoutMessageBuilder.Response(chain.EntityId(http), url, inResponseTo, problem.StatusCode, problem.SecondLevelStatusCode, time.GetUtcNow());
        return await chain.DeliverAsync(http, endpoint with { Location = url }, ResponseParameter, document, relayState, ct);
    }

    private async Task<SsoOutcome> RefuseAsync(string? sp, SamlProblem problem, CancellationToken ct)
    {
        await AuditRefusalAsync(sp, problem, ct);
        return SsoOutcome.ErrorPage(LogoutPages.Refused(problem.Detail));
    }

    private Task AuditRefusalAsync(string? sp, SamlProblem problem, CancellationToken ct) =>
        audit.AppendAsync(problem.Audited("saml.logout.refused", sp), ct);
}
