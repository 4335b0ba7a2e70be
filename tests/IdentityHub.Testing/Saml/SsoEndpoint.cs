using System.Text;
using System.Text.Json;
using IdentityHub.Data;
using IdentityHub.Saml.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Testing.Saml;

/// <summary>What one request to /saml/sso left behind: the answer, the refusals audited for it, and the requests stored.</summary>
public sealed record SsoExchange(SsoReply Reply, IReadOnlyList<AuditedRefusal> Refusals, int Stored);

/// <summary>A saml.request.refused audit event: whose request (the SP, the unknown issuer, or "unknown") and the reason code.</summary>
public sealed record AuditedRefusal(long Sequence, string Subject, string Code, string Status, string Detail);

/// <summary>
/// The hub's SSO endpoint driven as an SP's user agent would: one HttpClient that follows no redirect and keeps no
/// cookie, and the hub's own database read after each request (audit events since, saml.requests rows of the SP).
/// </summary>
public sealed class SsoEndpoint : IDisposable
{
    private readonly HubFixture _hub;

    public SsoEndpoint(HubFixture hub, int connections = 4)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _hub = hub;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = connections })
        {
            BaseAddress = hub.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public HttpClient Http { get; }

    public string SsoUrl => new Uri(_hub.BaseAddress, "/saml/sso").ToString();

    /// <summary>Registers <paramref name="sp"/> from its metadata (signed requests required, minimum level low).</summary>
    public async Task RegisterAsync(TestServiceProvider sp)
    {
        ArgumentNullException.ThrowIfNull(sp);
        await using var scope = _hub.App.Services.CreateAsyncScope();
        var (_, problem) = await scope.ServiceProvider.GetRequiredService<ServiceProviders>().AddAsync(new ServiceProviderSpec
        {
            Metadata = Encoding.UTF8.GetBytes(sp.Metadata()),
            DisplayName = "Hardening test SP",
            MinimumLevel = "low",
            GovernmentService = true, // the hardening tests are about the protocol, not consent
        }, "tests", CancellationToken.None);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }
    }

    public async Task<SsoReply> GetAsync(string query, CancellationToken ct = default)
    {
        using var response = await Http.GetAsync(new Uri(_hub.BaseAddress, "/saml/sso?" + query), ct);
        return await SsoReply.ReadAsync(response);
    }

    public async Task<SsoReply> GetAsync(Uri url, CancellationToken ct = default)
    {
        using var response = await Http.GetAsync(url, ct);
        return await SsoReply.ReadAsync(response);
    }

    public async Task<SsoReply> PostAsync(IEnumerable<KeyValuePair<string, string>> form, CancellationToken ct = default)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(new Uri(_hub.BaseAddress, "/saml/sso"), content, ct);
        return await SsoReply.ReadAsync(response);
    }

    public Task<SsoReply> PostAsync(string base64Message, string? relayState = null) =>
        PostAsync(relayState is null ? [new("SAMLRequest", base64Message)] : [new("SAMLRequest", base64Message), new("RelayState", relayState)]);

    /// <summary>Runs <paramref name="send"/> and reads what it left in the database.</summary>
    public async Task<SsoExchange> ExchangeAsync(string spEntityId, Func<SsoEndpoint, Task<SsoReply>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        var before = await LastAuditSequenceAsync();
        var reply = await send(this);
        return new SsoExchange(reply, await RefusalsSinceAsync(before), await StoredAsync(spEntityId));
    }

    public async Task<long> LastAuditSequenceAsync()
    {
        await using var scope = _hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
    }

    public async Task<IReadOnlyList<AuditedRefusal>> RefusalsSinceAsync(long sequence)
    {
        await using var scope = _hub.App.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEvents.AsNoTracking()
            .Where(e => e.Sequence > sequence && e.Type == "saml.request.refused").OrderBy(e => e.Sequence).ToListAsync();
        return [.. rows.Select(r =>
        {
            var details = JsonSerializer.Deserialize<Dictionary<string, string>>(r.Details) ?? [];
            return new AuditedRefusal(r.Sequence, r.Subject, details.GetValueOrDefault("code", ""), details.GetValueOrDefault("status", ""), details.GetValueOrDefault("detail", ""));
        })];
    }

    /// <summary>The SP's rows in saml.requests (the replay cache): one per request the hub took.</summary>
    public async Task<int> StoredAsync(string spEntityId)
    {
        await using var scope = _hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().SamlRequests.CountAsync(r => r.SpEntityId == spEntityId);
    }

    public void Dispose() => Http.Dispose();
}
