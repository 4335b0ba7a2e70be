using System.Text;
using System.Xml;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Metadata;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Sso;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Slo;

/// <summary>
/// Carries a Single Logout through the browser (saml-profiles-2.0-os §4.4.3.3): a signed LogoutRequest to each SP of
/// the ended sessions in turn (HTTP-Redirect where its metadata offers it, else HTTP-POST), each SP's LogoutResponse back
/// at /saml/slo (<see cref="LogoutReceiver"/>), then the end: the OpenID Connect back-channel logouts of the same
/// sessions are given a moment to be confirmed, and the outcome is decided once. An SP that refused, gave no answer or
/// cannot be told, or an OIDC client not confirmed, makes it partial (§4.4.3.3: PartialLogout), and that is what the
/// initiating SP's LogoutResponse and the citizen's page say.
/// </summary>
internal sealed class LogoutChain(
    HubDbContext db,
    ServiceProviders providers,
    SamlKeyRing keys,
    SamlAnswers answers,
    IEnumerable<ISessionLogoutReport> reports,
    AuditLog audit,
    TimeProvider time,
    IOptions<SamlOptions> options)
{
    public async Task<SsoOutcome> ContinueAsync(HttpContext http, Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var logout = await db.SamlLogouts.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        if (logout is null || (logout.FinishedAt is null && logout.ExpiresAt <= now))
        {
            return SsoOutcome.ErrorPage(LogoutPages.Expired());
        }

        if (logout.FinishedAt is not null)
        {
            return await ReportAsync(http, logout, ct);
        }

        // A request sent whose SP sent the browser back without an answer (or the citizen went back): no answer.
        await db.SamlLogoutParties.Where(p => p.LogoutId == id && p.Outcome == LogoutOutcomes.Sent)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Outcome, LogoutOutcomes.NoAnswer).SetProperty(p => p.AnsweredAt, now), ct);
        while (await db.SamlLogoutParties.AsNoTracking().Where(p => p.LogoutId == id && p.Outcome == LogoutOutcomes.Pending)
            .OrderBy(p => p.Position).FirstOrDefaultAsync(ct) is { } party)
        {
            if (await SendAsync(http, party, ct) is { } sent)
            {
                return sent;
            }
        }

        return await FinishAsync(http, logout, ct);
    }

    /// <summary>The SP's SingleLogoutService for a binding, else HTTP-Redirect, else HTTP-POST; null when it has neither.</summary>
    public static SpEndpoint? EndpointOf(RegisteredServiceProvider sp, string? preferred)
    {
        ArgumentNullException.ThrowIfNull(sp);
        var endpoints = sp.Metadata.SingleLogoutServices;
        return endpoints.FirstOrDefault(e => e.Binding == preferred)
            ?? endpoints.FirstOrDefault(e => e.Binding == SamlBindings.HttpRedirect)
            ?? endpoints.FirstOrDefault(e => e.Binding == SamlBindings.HttpPost);
    }

    /// <summary>Sends one SP its LogoutRequest; null when it cannot be told (then it is marked so) or another request took it.</summary>
    private async Task<SsoOutcome?> SendAsync(HttpContext http, SamlLogoutPartyRecord party, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var sp = await providers.FindAsync(party.SpEntityId, ct);
        var endpoint = sp is null ? null : EndpointOf(sp, preferred: null);
        if (endpoint is null)
        {
            await db.SamlLogoutParties.Where(p => p.LogoutId == party.LogoutId && p.SpEntityId == party.SpEntityId && p.Outcome == LogoutOutcomes.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Outcome, LogoutOutcomes.Unreachable), ct);
            return null;
        }

        var document = LogoutMessageBuilder.Request(
            answers.EntityId(http), endpoint.Location, new SamlSubject(party.NameId, party.NameIdFormat, party.SpNameQualifier),
            party.SessionIndexes.Split(' ', StringSplitOptions.RemoveEmptyEntries), now, options.Value.AssertionLifetime);
        var requestId = document.DocumentElement!.GetAttribute("ID");
        var claimed = await db.SamlLogoutParties
            .Where(p => p.LogoutId == party.LogoutId && p.SpEntityId == party.SpEntityId && p.Outcome == LogoutOutcomes.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Outcome, LogoutOutcomes.Sent).SetProperty(p => p.RequestId, requestId).SetProperty(p => p.SentAt, now), ct);
        return claimed == 0 ? null : await DeliverAsync(http, endpoint, "SAMLRequest", document, null, ct);
    }

    private async Task<SsoOutcome> FinishAsync(HttpContext http, SamlLogoutRecord logout, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var claimed = await db.SamlLogouts.Where(l => l.Id == logout.Id && l.FinishedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.FinishedAt, now), ct);
        if (claimed == 0)
        {
            return await ReportAsync(http, await db.SamlLogouts.AsNoTracking().SingleAsync(l => l.Id == logout.Id, ct), ct);
        }

        var parties = await PartiesAsync(logout.Id, ct);
        var others = await BackChannelAsync(logout, wait: true, ct);
        var partial = parties.Any(p => p.State != AgencyLogoutState.Confirmed) || others.Any(o => o.State != AgencyLogoutState.Confirmed);
        await db.SamlLogouts.Where(l => l.Id == logout.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.Partial, partial), ct);
        var actor = await db.Users.Where(u => u.Id == logout.AccountId).Select(u => u.UserName).FirstOrDefaultAsync(ct) ?? "?";
        await audit.AppendAsync(new AuditEvent("saml.logout.completed", logout.InitiatorEntityId ?? actor, actor, new Dictionary<string, string>
        {
            ["logout"] = logout.Id.ToString(),
            ["sessions"] = logout.SessionIds,
            ["partial"] = partial ? "true" : "false",
            ["agencies"] = string.Join(' ', parties.Concat(others).Select(a => $"{a.Protocol}:{a.Id}={a.State.ToString().ToLowerInvariant()}")),
        }), ct);

        if (logout.InitiatorResponseUrl is { } responseUrl && logout.InitiatorRequestId is { } inResponseTo)
        {
            var document = LogoutMessageBuilder.Response(answers.EntityId(http), responseUrl, inResponseTo, SamlStatus.Success,
                partial ? SamlStatus.PartialLogout : null, now);
            var endpoint = new SpEndpoint(logout.InitiatorBinding ?? SamlBindings.HttpRedirect, responseUrl, null, false, null);
            return await DeliverAsync(http, endpoint, "SAMLResponse", document, logout.InitiatorRelayState, ct);
        }

        if (!partial && logout.ReturnUrl is { } returnUrl && logout.InitiatorEntityId is null)
        {
            return SsoOutcome.Redirect(returnUrl);
        }

        return SsoOutcome.Page(LogoutPages.Report(SingleLogout.IsCarriedBy(http, logout.Id), partial, [.. parties, .. others], logout.ReturnUrl));
    }

    /// <summary>The finished logout's page: what it reached, to the browser that carried it; to any other, only that it ended.</summary>
    private async Task<SsoOutcome> ReportAsync(HttpContext http, SamlLogoutRecord logout, CancellationToken ct)
    {
        if (!SingleLogout.IsCarriedBy(http, logout.Id))
        {
            return SsoOutcome.Page(LogoutPages.Report(false, logout.Partial == true, [], null));
        }

        var parties = await PartiesAsync(logout.Id, ct);
        var others = await BackChannelAsync(logout, wait: false, ct);
        return SsoOutcome.Page(LogoutPages.Report(true, logout.Partial == true, [.. parties, .. others], logout.ReturnUrl));
    }

    private async Task<List<AgencyLogout>> PartiesAsync(Guid logoutId, CancellationToken ct)
    {
        var parties = await db.SamlLogoutParties.AsNoTracking().Where(p => p.LogoutId == logoutId).OrderBy(p => p.Position).ToListAsync(ct);
        var names = await db.SamlServiceProviders.AsNoTracking().Where(s => parties.Select(p => p.SpEntityId).Contains(s.EntityId))
            .ToDictionaryAsync(s => s.EntityId, s => s.DisplayName, StringComparer.Ordinal, ct);
        return parties.Select(p => new AgencyLogout("saml", p.SpEntityId, names.GetValueOrDefault(p.SpEntityId) ?? p.SpEntityId, p.Outcome switch
        {
            LogoutOutcomes.Confirmed => AgencyLogoutState.Confirmed,
            LogoutOutcomes.Unreachable => AgencyLogoutState.Unreachable,
            LogoutOutcomes.Pending or LogoutOutcomes.Sent => AgencyLogoutState.Pending,
            _ => AgencyLogoutState.Failed,
        })).ToList();
    }

    /// <summary>The sessions' agencies told by other channels (OIDC back-channel); with <paramref name="wait"/>, given up to Saml:LogoutBackChannelWait.</summary>
    private async Task<List<AgencyLogout>> BackChannelAsync(SamlLogoutRecord logout, bool wait, CancellationToken ct)
    {
        var sessionIds = logout.SessionIds.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList();
        var deadline = time.GetUtcNow() + (wait ? options.Value.LogoutBackChannelWait : TimeSpan.Zero);
        while (true)
        {
            var all = new List<AgencyLogout>();
            foreach (var report in reports)
            {
                all.AddRange((await report.OfAsync(sessionIds, ct)).Where(a => !(a.Protocol == "oidc" && a.Id == logout.InitiatorClientId)));
            }

            if (!all.Any(a => a.State == AgencyLogoutState.Pending) || time.GetUtcNow() >= deadline)
            {
                return all;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct);
        }
    }

    public string EntityId(HttpContext http) => answers.EntityId(http);

    /// <summary>Signs and sends a message to an SP endpoint: HTTP-Redirect (query signature) or HTTP-POST (enveloped signature).</summary>
    internal async Task<SsoOutcome> DeliverAsync(HttpContext http, SpEndpoint endpoint, string parameter, XmlDocument document, string? relayState, CancellationToken ct)
    {
        var key = await keys.CurrentAsync(ct);
        if (endpoint.Binding == SamlBindings.HttpRedirect)
        {
            return SsoOutcome.Redirect(RedirectBinding.Url(endpoint.Location, parameter, document, relayState, key.Key));
        }

        SamlXmlSigner.Sign(document.DocumentElement!, key.Key, key.Certificate);
        FormTargets.Allow(http, [endpoint.Location]);
        return SsoOutcome.Post(PostBindingForm.Html(endpoint.Location, parameter, Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml)), relayState));
    }
}
