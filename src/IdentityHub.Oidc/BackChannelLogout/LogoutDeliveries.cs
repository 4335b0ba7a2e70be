using IdentityHub.Authentication.Agencies;
using System.Globalization;
using System.Net;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>A delivery one node has claimed for one attempt.</summary>
internal sealed class ClaimedDelivery
{
    public Guid Id { get; set; }

    public Guid SessionId { get; set; }

    public string ClientId { get; set; } = "";

    public string LogoutUri { get; set; } = "";

    public int Attempts { get; set; }
}

/// <summary>
/// One round of back-channel logout deliveries (Back-Channel Logout 1.0 §2.5): claims due rows with
/// FOR UPDATE SKIP LOCKED, so that several nodes never send the same attempt, and leases them (their next-attempt time
/// moves past the HTTP timeout: a node that dies mid-attempt leaves the row due again). Each attempt POSTs
/// logout_token=… as application/x-www-form-urlencoded to the registered URI only, follows no redirect, and counts
/// only 2xx as delivered (§2.8); anything else is retried with back-off until the attempts run out. Every attempt is
/// audited (oidc.logout.delivered / oidc.logout.failed), never with the token.
/// </summary>
internal sealed class LogoutDeliveries(
    HubDbContext db, IOpenIddictApplicationManager applications, OidcClients clients, PairwiseSubjects subjects, LogoutTokens tokens,
    IHttpClientFactory http, AuditLog audit, TimeProvider time, IOptionsMonitor<OidcOptions> options, ILogger<LogoutDeliveries> log)
{
    public const string HttpClientName = "IdentityHub.Oidc.BackChannelLogout";

    /// <summary>Claims what is due and attempts each; returns how many were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue.BackChannelLogout;
        var now = time.GetUtcNow();
        var lease = now + settings.HttpTimeout + TimeSpan.FromSeconds(30);
        var claimed = await db.Database.SqlQuery<ClaimedDelivery>($"""
            UPDATE oidc.logout_deliveries d SET "Attempts" = d."Attempts" + 1, "NextAttemptAt" = {lease}
            FROM (SELECT "Id" FROM oidc.logout_deliveries
                  WHERE "DeliveredAt" IS NULL AND "GaveUpAt" IS NULL AND "NextAttemptAt" <= {now}
                  ORDER BY "NextAttemptAt" LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED) due
            WHERE d."Id" = due."Id"
            RETURNING d."Id", d."SessionId", d."ClientId", d."LogoutUri", d."Attempts"
            """).ToListAsync(ct);
        foreach (var delivery in claimed)
        {
            await AttemptAsync(delivery, settings, ct);
        }

        return claimed.Count;
    }

    private async Task AttemptAsync(ClaimedDelivery delivery, BackChannelLogoutOptions settings, CancellationToken ct)
    {
        var citizen = await db.Sessions.AsNoTracking().Where(s => s.Id == delivery.SessionId)
            .Join(db.Users, s => s.AccountId, u => u.Id, (s, u) => u.UserName).FirstOrDefaultAsync(ct);
        var application = await applications.FindByClientIdAsync(delivery.ClientId, ct);
        var registered = await LogoutQueue.LogoutUriAsync(applications, delivery.ClientId, ct);
        if (citizen is null || application is null || registered != delivery.LogoutUri)
        {
            // Nothing to retry: the session or the client is gone, or the client's URI is no longer the one queued.
            await RecordAsync(delivery, citizen ?? "?", status: null, "the session, the client or its back-channel logout URI has gone", final: true, ct);
            return;
        }

        int? status = null;
        string? error;
        try
        {
            var subject = subjects.SubjectFor(await clients.SectorAsync(application, ct), citizen);
            var algorithm = await SigningKeys.ClientSigningAlgorithm.OfAsync(applications, application, ct);
            var token = await tokens.CreateAsync(delivery.ClientId, algorithm, subject, delivery.SessionId, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.HttpTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(delivery.LogoutUri, UriKind.Absolute))
            {
                Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("logout_token", token)]),
            };
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"no answer within {settings.HttpTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        catch (HttpRequestException ex)
        {
            error = ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : ex.HttpRequestError.ToString();
        }
        catch (InvalidOperationException ex)
        {
            // No issuer or no signing credential: the hub's configuration, retried once the operator fixed it.
            error = ex.Message;
        }

        await RecordAsync(delivery, citizen, status, error, final: error is not null && delivery.Attempts >= settings.MaxAttempts, ct);
    }

    private async Task RecordAsync(ClaimedDelivery delivery, string citizen, int? status, string? error, bool final, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var settings = options.CurrentValue.BackChannelLogout;
        var next = now + settings.DelayAfter(delivery.Attempts);
        var trimmed = error is { Length: > 300 } ? error[..300] : error;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LogoutDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.LastStatus, status)
            .SetProperty(d => d.LastError, trimmed)
            .SetProperty(d => d.DeliveredAt, error is null ? now : null)
            .SetProperty(d => d.GaveUpAt, final ? now : null)
            .SetProperty(d => d.NextAttemptAt, error is null || final ? now : next), ct);
        var details = new Dictionary<string, string>
        {
            ["client"] = delivery.ClientId,
            ["session"] = delivery.SessionId.ToString(),
            ["attempt"] = delivery.Attempts.ToString(CultureInfo.InvariantCulture),
            ["status"] = status?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
        if (error is not null)
        {
            details["error"] = trimmed!;
            details["next"] = final ? "gave-up" : next.ToString("O", CultureInfo.InvariantCulture);
        }

        await audit.AppendAsync(new AuditEvent(error is null ? "oidc.logout.delivered" : "oidc.logout.failed", "hub", citizen, details), ct);
        await transaction.CommitAsync(ct);
        if (error is null)
        {
            LogoutLog.Delivered(log, delivery.ClientId, delivery.SessionId, delivery.Attempts, status ?? 0);
        }
        else if (final)
        {
            LogoutLog.GaveUp(log, delivery.ClientId, delivery.SessionId, delivery.Attempts, trimmed!);
        }
        else
        {
            LogoutLog.Failed(log, delivery.ClientId, delivery.SessionId, delivery.Attempts, trimmed!, next);
        }
    }
}

internal static partial class LogoutLog
{
    [LoggerMessage(6000, LogLevel.Information, "Back-channel logout delivered to client {ClientId} for session {SessionId} (attempt {Attempt}, HTTP {Status})")]
    public static partial void Delivered(ILogger logger, string clientId, Guid sessionId, int attempt, int status);

    [LoggerMessage(6001, LogLevel.Warning, "Back-channel logout to client {ClientId} for session {SessionId} failed (attempt {Attempt}): {Error}; next attempt at {Next:O}")]
    public static partial void Failed(ILogger logger, string clientId, Guid sessionId, int attempt, string error, DateTimeOffset next);

    [LoggerMessage(6002, LogLevel.Error, "Back-channel logout to client {ClientId} for session {SessionId} given up after attempt {Attempt}: {Error}")]
    public static partial void GaveUp(ILogger logger, string clientId, Guid sessionId, int attempt, string error);

    [LoggerMessage(6003, LogLevel.Error, "Back-channel logout round failed")]
    public static partial void RoundFailed(ILogger logger, Exception exception);
}
