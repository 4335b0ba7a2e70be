using IdentityHub.Authentication.Agencies;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using IdentityHub.Data.Housekeeping;
using IdentityHub.Saml.Metadata;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Saml.Slo;

/// <summary>
/// When hub sessions end, queues a LogoutRequest over SOAP (saml.backchannel_logouts) for every SP each session signed
/// in to whose metadata has a SOAP SingleLogoutService (saml-profiles-2.0-os §4.4.3.1: the IdP tells each session
/// participant; without the browser, SOAP is the binding that can). Runs in the transaction that ends the sessions
/// (<see cref="ISessionEndedHandler"/>), with the NameID and SessionIndex each SP was given; one row per (session, SP),
/// so reporting an end twice queues nothing more. SPs a browser logout tells (<see cref="BrowserLogoutParties"/>) are
/// left to it; an SP without a SOAP endpoint, or disabled, is not queued.
/// </summary>
internal sealed class SoapLogoutQueue(
    HubDbContext db, ServiceProviders providers, PairwiseSubjects subjects, BrowserLogoutParties browser, SoapLogoutSignal signal, TimeProvider time)
    : ISessionEndedHandler
{
    public async Task OnEndedAsync(IReadOnlyList<Guid> sessionIds, string reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var participations = await (
            from p in db.SamlSessionServiceProviders.AsNoTracking()
            join s in db.Sessions.AsNoTracking() on p.SessionId equals s.Id
            join u in db.Users.AsNoTracking() on s.AccountId equals u.Id
            where sessionIds.Contains(p.SessionId)
            orderby p.FirstAt
            select new { Participation = p, u.UserName }).ToListAsync(ct);
        var now = time.GetUtcNow();
        var queued = 0;
        var registered = new Dictionary<string, RegisteredServiceProvider?>(StringComparer.Ordinal);
        foreach (var (participation, nationalId) in participations.Select(p => (p.Participation, p.UserName)))
        {
            if (nationalId is null || browser.Tells(participation.SpEntityId))
            {
                continue;
            }

            if (!registered.TryGetValue(participation.SpEntityId, out var sp))
            {
                registered[participation.SpEntityId] = sp = await providers.FindAsync(participation.SpEntityId, ct);
            }

            if (sp is null || EndpointOf(sp) is not { } endpoint)
            {
                continue;
            }

            var nameId = sp.NameIdGivenIn(participation, nationalId, subjects);
            var format = RegisteredServiceProvider.FormatUriOf(participation.NameIdFormat);
            var qualifier = participation.NameIdFormat == ServiceProviders.NationalId ? null : participation.SpEntityId;
            queued += await db.Database.ExecuteSqlAsync($"""
                INSERT INTO saml.backchannel_logouts ("Id", "SessionId", "SpEntityId", "Location", "NameId", "NameIdFormat", "SpNameQualifier",
                                                      "SessionIndex", "CreatedAt", "Attempts", "NextAttemptAt")
                VALUES ({Guid.CreateVersion7()}, {participation.SessionId}, {participation.SpEntityId}, {endpoint.Location}, {nameId}, {format}, {qualifier},
                        {participation.SessionIndex}, {now}, 0, {now})
                ON CONFLICT ("SessionId", "SpEntityId") DO NOTHING
                """, ct);
        }

        if (queued > 0)
        {
            signal.Wake();
        }
    }

    /// <summary>The SP's SOAP SingleLogoutService; null when its metadata has none.</summary>
    public static SpEndpoint? EndpointOf(RegisteredServiceProvider sp)
    {
        ArgumentNullException.ThrowIfNull(sp);
        return sp.Metadata.SingleLogoutServices.FirstOrDefault(e => e.Binding == SamlBindings.Soap);
    }
}

/// <summary>
/// The SPs a logout carried by the browser tells in this request scope (the initiator, and those with a front-channel
/// SingleLogoutService): <see cref="SingleLogout"/> names them before it ends the sessions, so that
/// <see cref="SoapLogoutQueue"/> does not tell them a second time.
/// </summary>
internal sealed class BrowserLogoutParties
{
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);

    public void Add(string spEntityId) => _told.Add(spEntityId);

    public bool Tells(string spEntityId) => _told.Contains(spEntityId);
}

/// <summary>Wakes this node's <see cref="SoapLogoutWorker"/> when this node queued a SOAP logout.</summary>
internal sealed class SoapLogoutSignal : WakeSignal;
