using System.Security.Claims;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Sso;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Saml.Consent;

/// <summary>What the SAML consent page shows: the agency and each item it receives (those not allowed before marked new).</summary>
internal sealed record SamlConsentPrompt(Guid RequestId, string EntityId, string AgencyName, IReadOnlyList<SamlConsentItem> Items, bool AskedBefore, string Ticket);

internal sealed record SamlConsentItem(string Name, bool IsNew);

/// <summary>A SAML consent as the citizen's portal lists it.</summary>
internal sealed record SamlConsentView(string EntityId, string AgencyName, IReadOnlyList<string> Items, DateTimeOffset GrantedAt);

/// <summary>The SAML consent page's form (the same field names and values as the OpenID consent page's).</summary>
internal static class SamlConsentForm
{
    public const string DecisionField = "hub_consent";
    public const string TicketField = "hub_consent_ticket";
    public const string Allow = "allow";
    public const string Deny = "deny";
}

internal enum SamlConsentAnswer
{
    /// <summary>Not this request's form, not this session's, or the request is gone: nothing changes.</summary>
    Refused,
    Granted,
    Denied,
}

/// <summary>
/// Citizen consent for SAML service providers (docs/saml.md "Consent"), the same rules as the OpenID provider's
/// (decision 0020): a government service is never asked; any other SP needs the citizen's stored consent covering
/// everything it receives (<see cref="SamlConsentItems"/>). The answer is remembered per account and SP, widened by
/// later grants; the portal lists and withdraws it. Granting, refusing and withdrawing are audited.
/// </summary>
internal sealed class SamlConsents(HubDbContext db, ServiceProviders providers, SamlConsentTickets tickets, AuditLog audit, TimeProvider time)
{
    /// <summary>The consent page: this, then the pending request's id.</summary>
    public const string PagePath = "/consent/saml/";

    /// <summary>The continue step's query parameter carrying a refusal ticket.</summary>
    public const string DeniedParameter = "denied";

    /// <summary>Whether the SP may be answered without asking: a government service, or a stored consent covering what it gets.</summary>
    public async Task<bool> CoversAsync(RegisteredServiceProvider sp, ClaimsPrincipal citizen, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sp);
        ArgumentNullException.ThrowIfNull(citizen);
        if (sp.Record.GovernmentService)
        {
            return true;
        }

        return citizen.AccountIdOf() is { } accountId
            && await StoredAsync(accountId, sp.EntityId, ct) is { } stored
            && SamlConsentItems.Parse(stored.Attributes).IsSupersetOf(SamlConsentItems.Of(sp));
    }

    /// <summary>Whether the continue step carries the citizen's refusal for this request, made in this session.</summary>
    public bool DeniedIn(HttpContext http, Guid requestId, ClaimsPrincipal citizen)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Query[DeniedParameter] is [{ } ticket] && citizen.SessionIdOf() is { } sessionId && tickets.MatchesDenial(ticket, requestId, sessionId);
    }

    /// <summary>The page for a pending request: null when it is unknown, expired or answered, or its SP is gone.</summary>
    public async Task<(SamlConsentPrompt? Prompt, bool NothingToAsk)> DescribeAsync(Guid requestId, ClaimsPrincipal citizen, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        if (citizen.AccountIdOf() is not { } accountId || citizen.SessionIdOf() is not { } sessionId || await PendingAsync(requestId, ct) is not { } sp)
        {
            return (null, false);
        }

        if (await CoversAsync(sp, citizen, ct))
        {
            return (null, true);
        }

        var items = SamlConsentItems.Of(sp);
        var earlier = SamlConsentItems.Parse((await StoredAsync(accountId, sp.EntityId, ct))?.Attributes);
        return (new SamlConsentPrompt(
            requestId, sp.EntityId, sp.Record.DisplayName,
            [.. SamlConsentItems.Ordered(items).Select(i => new SamlConsentItem(i, earlier.Count > 0 && !earlier.Contains(i)))],
            earlier.Count > 0,
            tickets.IssueForm(requestId, sessionId, items)), false);
    }

    /// <summary>
    /// The citizen's answer from the page (its antiforgery token already checked by the page): counts only for a pending,
    /// unanswered request, from the session the page was shown to, for exactly the items it showed.
    /// </summary>
    public async Task<(SamlConsentAnswer Answer, string? ContinueUrl)> AnswerAsync(Guid requestId, ClaimsPrincipal citizen, string? decision, string? ticket, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        if (decision is not (SamlConsentForm.Allow or SamlConsentForm.Deny)
            || citizen.AccountIdOf() is not { } accountId || citizen.SessionIdOf() is not { } sessionId || citizen.Identity?.Name is not { } name
            || await PendingAsync(requestId, ct) is not { } sp || sp.Record.GovernmentService
            || !tickets.MatchesForm(ticket, requestId, sessionId, SamlConsentItems.Of(sp)))
        {
            return (SamlConsentAnswer.Refused, null);
        }

        var back = SamlSignIn.ContinuePath + requestId.ToString("N");
        var items = SamlConsentItems.Of(sp);
        if (decision == SamlConsentForm.Deny)
        {
            await audit.AppendAsync(new AuditEvent("saml.consent.denied", name, name, new Dictionary<string, string>
            {
                ["sp"] = sp.EntityId,
                ["attributes"] = SamlConsentItems.Format(items),
            }), ct);
            return (SamlConsentAnswer.Denied, back + "?" + DeniedParameter + "=" + Uri.EscapeDataString(tickets.IssueDenial(requestId, sessionId)));
        }

        // Remembered per SP: the grant covers what was allowed before too, so a later, smaller set is answered without asking.
        items.UnionWith(SamlConsentItems.Parse((await StoredAsync(accountId, sp.EntityId, ct))?.Attributes));
        var granted = SamlConsentItems.Format(items);
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO saml.consents ("AccountId", "SpEntityId", "Attributes", "GrantedAt") VALUES ({accountId}, {sp.EntityId}, {granted}, {now})
            ON CONFLICT ("AccountId", "SpEntityId") DO UPDATE SET "Attributes" = EXCLUDED."Attributes", "GrantedAt" = EXCLUDED."GrantedAt"
            """, ct);
        await audit.AppendAsync(new AuditEvent("saml.consent.granted", name, name, new Dictionary<string, string>
        {
            ["sp"] = sp.EntityId,
            ["attributes"] = granted,
        }), ct);
        return (SamlConsentAnswer.Granted, back);
    }

    public async Task<IReadOnlyList<SamlConsentView>> ListAsync(Guid accountId, CancellationToken ct)
    {
        var rows = await (from c in db.SamlConsents.AsNoTracking()
                          join s in db.SamlServiceProviders.AsNoTracking() on c.SpEntityId equals s.EntityId
                          where c.AccountId == accountId
                          select new { c.SpEntityId, s.DisplayName, c.Attributes, c.GrantedAt }).ToListAsync(ct);
        return [.. rows.Select(r => new SamlConsentView(r.SpEntityId, r.DisplayName, SamlConsentItems.Ordered(SamlConsentItems.Parse(r.Attributes)), r.GrantedAt))
            .OrderBy(v => v.AgencyName, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Deletes the citizen's consent to one SP (its next request asks again); false when there was none.</summary>
    public async Task<bool> WithdrawAsync(Guid accountId, string entityId, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var removed = await db.SamlConsents.Where(c => c.AccountId == accountId && c.SpEntityId == entityId).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            return false;
        }

        await audit.AppendAsync(new AuditEvent("saml.consent.withdrawn", actor, actor, new Dictionary<string, string> { ["sp"] = entityId }), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private Task<SamlConsentRecord?> StoredAsync(Guid accountId, string entityId, CancellationToken ct) =>
        db.SamlConsents.AsNoTracking().FirstOrDefaultAsync(c => c.AccountId == accountId && c.SpEntityId == entityId, ct);

    /// <summary>The SP of a request that is still waiting for its answer.</summary>
    private async Task<RegisteredServiceProvider?> PendingAsync(Guid requestId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var pending = await db.SamlRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId && r.AnsweredAt == null && r.ExpiresAt > now, ct);
        return pending is null ? null : await providers.FindAsync(pending.SpEntityId, ct);
    }
}
