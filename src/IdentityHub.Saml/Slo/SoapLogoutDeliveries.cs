using System.Globalization;
using System.Text;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Slo;

/// <summary>A SOAP logout one node has claimed for one attempt.</summary>
internal sealed class ClaimedSoapLogout
{
    public Guid Id { get; set; }

    public Guid SessionId { get; set; }

    public string SpEntityId { get; set; } = "";

    public string Location { get; set; } = "";

    public string NameId { get; set; } = "";

    public string NameIdFormat { get; set; } = "";

    public string? SpNameQualifier { get; set; }

    public string SessionIndex { get; set; } = "";

    public int Attempts { get; set; }
}

/// <summary>
/// One round of SOAP logouts (saml-profiles-2.0-os §4.4.3.1, saml-bindings-2.0-os §3.2): claims due rows with
/// FOR UPDATE SKIP LOCKED, so that several nodes never send the same attempt, and leases them (their next-attempt time
/// moves past the HTTP timeout: a node that dies mid-attempt leaves the row due again). Each attempt signs a fresh
/// LogoutRequest (a new ID, so an answer to an earlier attempt does not count) and POSTs it in a SOAP envelope to the
/// SOAP SingleLogoutService queued, only if it is still the SP's registered one; no redirect is followed. Only a
/// LogoutResponse that <see cref="SoapLogoutAnswer"/> accepts as Success confirms; a transport failure or an answer that
/// does not check is retried with back-off, another SAML status is final. Every attempt is audited
/// (saml.logout.soap.delivered / saml.logout.soap.failed).
/// </summary>
internal sealed class SoapLogoutDeliveries(
    HubDbContext db, ServiceProviders providers, SamlKeyRing keys, IHttpClientFactory http, AuditLog audit, TimeProvider time,
    IOptions<SamlOptions> options, IConfiguration configuration, ILogger<SoapLogoutDeliveries> log)
{
    public const string HttpClientName = "IdentityHub.Saml.SoapLogout";

    /// <summary>Claims what is due and attempts each; returns how many were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value.BackChannelLogout;
        var now = time.GetUtcNow();
        var lease = now + settings.HttpTimeout + TimeSpan.FromSeconds(30);
        var claimed = await db.Database.SqlQuery<ClaimedSoapLogout>($"""
            UPDATE saml.backchannel_logouts d SET "Attempts" = d."Attempts" + 1, "NextAttemptAt" = {lease}
            FROM (SELECT "Id" FROM saml.backchannel_logouts
                  WHERE "DeliveredAt" IS NULL AND "GaveUpAt" IS NULL AND "NextAttemptAt" <= {now}
                  ORDER BY "NextAttemptAt" LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED) due
            WHERE d."Id" = due."Id"
            RETURNING d."Id", d."SessionId", d."SpEntityId", d."Location", d."NameId", d."NameIdFormat", d."SpNameQualifier", d."SessionIndex", d."Attempts"
            """).ToListAsync(ct);
        foreach (var logout in claimed)
        {
            await AttemptAsync(logout, ct);
        }

        return claimed.Count;
    }

    /// <summary>
    /// The IdP's entityID without a request to take it from: Saml:EntityId, else the metadata URL under Pki:PublicBaseUrl
    /// (the hub's public address, which is what a request's would be).
    /// </summary>
    internal string IdpEntityId() =>
        options.Value.EntityId ?? (configuration["Pki:PublicBaseUrl"] ?? throw new InvalidOperationException("Neither Saml:EntityId nor Pki:PublicBaseUrl is set."))
            .TrimEnd('/') + "/saml/metadata";

    private async Task AttemptAsync(ClaimedSoapLogout logout, CancellationToken ct)
    {
        var settings = options.Value;
        var citizen = await db.Sessions.AsNoTracking().Where(s => s.Id == logout.SessionId)
            .Join(db.Users, s => s.AccountId, u => u.Id, (s, u) => u.UserName).FirstOrDefaultAsync(ct) ?? "?";
        var sp = await providers.FindAsync(logout.SpEntityId, ct);
        if (sp is null || SoapLogoutQueue.EndpointOf(sp)?.Location != logout.Location)
        {
            // Nothing to retry: the SP is gone or disabled, or its SOAP endpoint is no longer the one queued.
            await RecordAsync(logout, citizen, null, new SoapLogoutOutcome(false, null, "the service provider or its SOAP SingleLogoutService has gone", true), ct);
            return;
        }

        string? requestId = null;
        SoapLogoutOutcome outcome;
        try
        {
            var now = time.GetUtcNow();
            var document = LogoutMessageBuilder.Request(IdpEntityId(), logout.Location, new SamlSubject(logout.NameId, logout.NameIdFormat, logout.SpNameQualifier),
                [logout.SessionIndex], now, settings.AssertionLifetime);
            requestId = document.DocumentElement!.GetAttribute("ID");
            var key = await keys.CurrentAsync(ct);
            SamlXmlSigner.Sign(document.DocumentElement!, key.Key, key.Certificate);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.BackChannelLogout.HttpTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(logout.Location, UriKind.Absolute))
            {
                Content = new StringContent(SoapBinding.Envelope(document.DocumentElement!), Encoding.UTF8, SoapBinding.MediaType),
            };
            request.Headers.Add("SOAPAction", "\"" + SoapBinding.SoapAction + "\"");
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var answer = response.Content.Headers.ContentLength > settings.MaxMessageBytes ? null
                : await BoundedRead.ReadAsync(body, settings.MaxMessageBytes, timeout.Token);
            // §3.2.3.3: an answer (a SOAP Fault comes with 500) is read whatever the status; when it does not confirm, the status leads the error.
            outcome = answer is null
                ? SoapLogoutOutcome.Failed("the answer is larger than Saml:MaxMessageBytes")
                : SoapLogoutAnswer.Check(answer, sp.EntityId, sp.Metadata.SigningCertificates, requestId, time.GetUtcNow(), settings.ClockSkew, settings.MaxMessageBytes);
            if (!response.IsSuccessStatusCode && outcome.Error is { } error)
            {
                outcome = outcome with { Error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {error}" };
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            outcome = SoapLogoutOutcome.Failed($"no answer within {settings.BackChannelLogout.HttpTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException ex)
        {
            outcome = SoapLogoutOutcome.Failed(ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : ex.HttpRequestError.ToString());
        }
        catch (InvalidOperationException ex)
        {
            // No entityID or no signing key: the hub's configuration, retried once the operator fixed it.
            outcome = SoapLogoutOutcome.Failed(ex.Message);
        }

        await RecordAsync(logout, citizen, requestId,
            outcome with { Final = outcome.Final || (!outcome.Confirmed && logout.Attempts >= settings.BackChannelLogout.MaxAttempts) }, ct);
    }

    private async Task RecordAsync(ClaimedSoapLogout logout, string citizen, string? requestId, SoapLogoutOutcome outcome, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var next = now + options.Value.BackChannelLogout.DelayAfter(logout.Attempts);
        var error = Trim(outcome.Error);
        var status = Trim(outcome.Status);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SamlBackChannelLogouts.Where(d => d.Id == logout.Id).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.RequestId, requestId)
            .SetProperty(d => d.LastStatus, status)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.DeliveredAt, outcome.Confirmed ? now : null)
            .SetProperty(d => d.GaveUpAt, outcome.Final ? now : null)
            .SetProperty(d => d.NextAttemptAt, outcome.Confirmed || outcome.Final ? now : next), ct);
        var details = new Dictionary<string, string>
        {
            ["sp"] = logout.SpEntityId,
            ["session"] = logout.SessionId.ToString(),
            ["attempt"] = logout.Attempts.ToString(CultureInfo.InvariantCulture),
            ["requestId"] = requestId ?? "",
            ["status"] = status ?? "",
        };
        if (error is not null)
        {
            details["error"] = error;
            details["next"] = outcome.Final ? "gave-up" : next.ToString("O", CultureInfo.InvariantCulture);
        }

        await audit.AppendAsync(new AuditEvent(outcome.Confirmed ? "saml.logout.soap.delivered" : "saml.logout.soap.failed", "hub", citizen, details), ct);
        await transaction.CommitAsync(ct);
        if (outcome.Confirmed)
        {
            SoapLogoutLog.Delivered(log, logout.SpEntityId, logout.SessionId, logout.Attempts);
        }
        else if (outcome.Final)
        {
            SoapLogoutLog.GaveUp(log, logout.SpEntityId, logout.SessionId, logout.Attempts, error!);
        }
        else
        {
            SoapLogoutLog.Failed(log, logout.SpEntityId, logout.SessionId, logout.Attempts, error!, next);
        }
    }

    private static string? Trim(string? value) => value is { Length: > 300 } ? value[..300] : value;
}

internal static partial class SoapLogoutLog
{
    [LoggerMessage(7700, LogLevel.Information, "SOAP logout confirmed by SP {SpEntityId} for session {SessionId} (attempt {Attempt})")]
    public static partial void Delivered(ILogger logger, string spEntityId, Guid sessionId, int attempt);

    [LoggerMessage(7701, LogLevel.Warning, "SOAP logout to SP {SpEntityId} for session {SessionId} failed (attempt {Attempt}): {Error}; next attempt at {Next:O}")]
    public static partial void Failed(ILogger logger, string spEntityId, Guid sessionId, int attempt, string error, DateTimeOffset next);

    [LoggerMessage(7702, LogLevel.Error, "SOAP logout to SP {SpEntityId} for session {SessionId} given up after attempt {Attempt}: {Error}")]
    public static partial void GaveUp(ILogger logger, string spEntityId, Guid sessionId, int attempt, string error);

    [LoggerMessage(7703, LogLevel.Error, "SOAP logout round failed")]
    public static partial void RoundFailed(ILogger logger, Exception exception);
}
