using IdentityHub.Authentication.Agencies;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Metadata;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Slo;

/// <summary>The SP whose LogoutRequest starts a logout, and where its LogoutResponse goes.</summary>
internal sealed record LogoutInitiator(string EntityId, string RequestId, string? RelayState, SpEndpoint? ResponseEndpoint);

/// <summary>
/// Starts a Single Logout (saml-profiles-2.0-os §4.4): in one transaction it records the SPs the ended sessions signed
/// in to (the initiator excepted) with the NameID and SessionIndexes each was given, and ends the sessions — which also
/// queues the OpenID Connect back-channel logout tokens (<see cref="ISessionEndedHandler"/>). The browser then visits
/// <see cref="LogoutChain"/>, which tells each SP in turn. Also the hub's <see cref="IFrontChannelLogout"/>: a citizen
/// who signs out at the hub or at an OIDC agency goes the same way. An SP with a SOAP SingleLogoutService but no
/// front-channel one is told over SOAP instead (<see cref="SoapLogoutQueue"/>) and reported with the back channel.
/// </summary>
internal sealed class SingleLogout(
    HubDbContext db, HubSessions sessions, ServiceProviders providers, PairwiseSubjects subjects, BrowserLogoutParties browser, TimeProvider time,
    IOptions<SamlOptions> options) : IFrontChannelLogout
{
    public const string SloPath = "/saml/slo";
    public const string ContinuePath = "/saml/slo/continue/";

    /// <summary>Names the logout this browser is carrying, so that only it sees which agencies were told.</summary>
    public const string CookieName = "hub.slo";

    public async Task<string?> EndAsync(HttpContext http, Guid accountId, Guid sessionId, string reason, string returnUrl, string? initiatingClient, CancellationToken ct)
    {
        var (id, _) = await BeginAsync(http, accountId, [sessionId], reason, null, returnUrl, ct, initiatingClient);
        return id is { } logout ? ContinuePath + logout.ToString("N") : null;
    }

    /// <summary>
    /// Ends the open sessions among <paramref name="sessionIds"/> and records whom to tell. The result is the logout's
    /// id; null when the hub started it and no SP is to be told; Replayed when the initiator's request ID was seen before
    /// (then nothing is ended).
    /// </summary>
    public async Task<(Guid? Id, bool Replayed)> BeginAsync(
        HttpContext http, Guid accountId, IReadOnlyList<Guid> sessionIds, string reason, LogoutInitiator? initiator, string? returnUrl, CancellationToken ct,
        string? initiatingClient = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(sessionIds);
        var now = time.GetUtcNow();
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var open = await db.Sessions.Where(s => sessionIds.Contains(s.Id) && s.AccountId == accountId && s.EndedAt == null).Select(s => s.Id).ToListAsync(ct);
        var others = initiator?.EntityId;
        var signedInTo = await db.SamlSessionServiceProviders.AsNoTracking()
            .Where(p => open.Contains(p.SessionId) && p.SpEntityId != others)
            .OrderBy(p => p.FirstAt).ToListAsync(ct);
        if (initiator is null && signedInTo.Count == 0)
        {
            foreach (var sessionId in open)
            {
                await sessions.EndAsync(accountId, sessionId, reason, ct);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }

            return (null, false);
        }

        var id = Guid.NewGuid();
        var openIds = string.Join(' ', open);
        var expires = now + options.Value.LogoutLifetime;
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO saml.logouts ("Id", "AccountId", "SessionIds", "InitiatorEntityId", "InitiatorRequestId", "InitiatorRelayState",
                                      "InitiatorResponseUrl", "InitiatorBinding", "InitiatorClientId", "ReturnUrl", "CreatedAt", "ExpiresAt")
            VALUES ({id}, {accountId}, {openIds}, {initiator?.EntityId}, {initiator?.RequestId}, {initiator?.RelayState},
                    {initiator?.ResponseEndpoint?.ResponseLocation ?? initiator?.ResponseEndpoint?.Location}, {initiator?.ResponseEndpoint?.Binding},
                    {initiatingClient}, {returnUrl}, {now}, {expires})
            ON CONFLICT ("InitiatorEntityId", "InitiatorRequestId") DO NOTHING
            """, ct);
        if (inserted == 0)
        {
            return (null, true);
        }

        var nationalId = await db.Users.Where(u => u.Id == accountId).Select(u => u.UserName).SingleAsync(ct) ?? "";
        var position = 0;
        if (initiator is not null)
        {
            browser.Add(initiator.EntityId);
        }

        foreach (var group in signedInTo.GroupBy(p => p.SpEntityId, StringComparer.Ordinal))
        {
            var sp = await providers.FindAsync(group.Key, ct);
            if (sp is not null && LogoutChain.EndpointOf(sp, preferred: null) is null && SoapLogoutQueue.EndpointOf(sp) is not null)
            {
                // No front channel, but SOAP: SoapLogoutQueue tells it when the sessions end, and the end reports it.
                continue;
            }

            browser.Add(group.Key);
            db.SamlLogoutParties.Add(PartyOf(id, group.ToList(), sp, nationalId, position++));
        }

        await db.SaveChangesAsync(ct);
        foreach (var sessionId in open)
        {
            await sessions.EndAsync(accountId, sessionId, reason, ct);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        http.Response.Cookies.Append(CookieName, id.ToString("N"), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = SloPath,
            MaxAge = options.Value.LogoutLifetime,
            IsEssential = true,
        });
        return (id, false);
    }

    /// <summary>Whether this browser started the logout (its cookie names it).</summary>
    public static bool IsCarriedBy(HttpContext http, Guid id) =>
        http?.Request.Cookies[CookieName] is { } value && Guid.TryParseExact(value, "N", out var carried) && carried == id;

    /// <summary>The NameID of an SP's sessions as it was given (the format recorded when it was given), and its SessionIndexes.</summary>
    private SamlLogoutPartyRecord PartyOf(Guid logoutId, List<SessionServiceProviderRecord> rows, RegisteredServiceProvider? sp, string nationalId, int position)
    {
        var first = rows[0];
        var nameId = sp?.NameIdGivenIn(first, nationalId, subjects) ?? "";
        var reachable = sp is not null && LogoutChain.EndpointOf(sp, preferred: null) is not null;
        return new SamlLogoutPartyRecord
        {
            LogoutId = logoutId,
            SpEntityId = first.SpEntityId,
            NameId = nameId,
            NameIdFormat = RegisteredServiceProvider.FormatUriOf(first.NameIdFormat),
            SpNameQualifier = first.NameIdFormat == ServiceProviders.NationalId ? null : first.SpEntityId,
            SessionIndexes = string.Join(' ', rows.Select(r => r.SessionIndex)),
            Outcome = reachable ? LogoutOutcomes.Pending : LogoutOutcomes.Unreachable,
            Position = position,
        };
    }
}

/// <summary>What became of one SP in a logout (saml.logout_parties.Outcome).</summary>
internal static class LogoutOutcomes
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Confirmed = "confirmed";
    public const string Refused = "refused";
    public const string NoAnswer = "no-answer";
    public const string Unreachable = "unreachable";
}
