using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityHub.Authentication.Agencies;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Saml.Providers;
using IdentityHub.Testing;
using IdentityHub.Testing.Saml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// Logout over the SAML SOAP binding (saml-profiles-2.0-os §4.4.3.1, saml-bindings-2.0-os §3.2) for sessions that end
/// without the citizen's browser, with Debian's python3-lasso as the SP: Lasso reads the hub's LogoutRequest from the
/// SOAP envelope, verifies its signature with the key in the hub's metadata, matches the NameID and SessionIndex against
/// the session it kept from the login, and answers; the hub checks the answer and records it. An SP with only a SOAP
/// endpoint is told that way in a browser logout too, and the logout reports it. Failures are retried, refusals given
/// up, and every attempt is audited.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SamlSoapLogoutTests(HubFixture hub)
{
    [Fact]
    public async Task A_session_that_lapses_is_logged_out_at_a_Lasso_SP_over_SOAP()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var lasso = new LassoSoapSp(hub);
        using var endpoint = new SoapEndpoint(lasso.AnswerAsync);
        await lasso.SignInAsync(citizen, endpoint.Url, "Land registry");
        var sessionId = await OnlySessionAsync(citizen);

        // Nobody presents the cookie again: the session lapses, and the hub's sweep ends it.
        await WithDbAsync(db => db.Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, DateTimeOffset.UtcNow.AddHours(-2))));

        var received = Assert.Single(await endpoint.WaitForAsync(1));
        Assert.Equal("POST", received.Method);
        Assert.StartsWith("text/xml", received.ContentType, StringComparison.Ordinal);
        Assert.Equal("\"http://www.oasis-open.org/committees/security\"", received.SoapAction);
        var told = Assert.Single(lasso.Results);
        Assert.True(told["error"] is null && told["refused"] is null, told.ToJsonString());
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:status:Success", told["status"]!.GetValue<string>());
        Assert.Equal(lasso.Profile!["nameId"]!.GetValue<string>(), told["nameId"]!.GetValue<string>());
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var expected = scope.ServiceProvider.GetRequiredService<PairwiseSubjects>().SubjectFor(new Uri(lasso.EntityId).Host, citizen.Letter.NationalId);
            Assert.Equal(expected, told["nameId"]!.GetValue<string>());
        }

        Assert.Equal([lasso.Profile["sessionIndex"]!.GetValue<string>()], told["sessionIndexes"]!.AsArray().Select(i => i!.GetValue<string>()));

        // Lasso really checks: the same request with another NameID fails its signature check, and without the
        // session the SP kept, Lasso finds no such principal and answers with a refusal instead of Success.
        var tampered = await LassoSp.RunAsync("soap-logout", lasso.Input(received.Body.Replace(told["nameId"]!.GetValue<string>(), "someone-else", StringComparison.Ordinal), session: false));
        Assert.Equal("rejected", tampered.Error);
        var unknown = (await LassoSp.RunAsync("soap-logout", lasso.Input(received.Body, session: false))).Ok();
        Assert.NotNull(unknown["refused"]);
        Assert.NotEqual("urn:oasis:names:tc:SAML:2.0:status:Success", unknown["status"]!.GetValue<string>());

        var row = await DeliveryAsync(sessionId, lasso.EntityId, r => r.DeliveredAt is not null);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(told["requestId"]!.GetValue<string>(), row.RequestId);
        Assert.Equal("idle", await WithDbAsync(db => db.Sessions.Where(s => s.Id == sessionId).Select(s => s.EndReason).SingleAsync()));
        var audited = await hub.LastAsync(citizen.Letter.NationalId, "saml.logout.soap.delivered");
        Assert.Contains(lasso.EntityId, audited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_at_the_hub_tells_an_SP_with_only_a_SOAP_endpoint_over_SOAP_and_counts_its_answer()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var lasso = new LassoSoapSp(hub);
        using var endpoint = new SoapEndpoint(lasso.AnswerAsync);
        await lasso.SignInAsync(citizen, endpoint.Url, "Land registry");
        var sessionId = await OnlySessionAsync(citizen);

        var signedOut = await citizen.Client.SubmitAsync("/account", new Dictionary<string, string>(), "/sign-out");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
        Assert.StartsWith("/saml/slo/continue/", signedOut.Location, StringComparison.Ordinal);
        // The browser carries no request to it (no front-channel endpoint); the end waits for its SOAP answer.
        var end = await citizen.Client.GetAsync(signedOut.Location!);

        Assert.True(end.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(end.Body));
        Assert.Single(await endpoint.WaitForAsync(1));
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:status:Success", Assert.Single(lasso.Results)["status"]!.GetValue<string>());
        await DeliveryAsync(sessionId, lasso.EntityId, r => r.DeliveredAt is not null);
        var completed = await hub.LastAsync(citizen.Letter.NationalId, "saml.logout.completed");
        Assert.Contains("\"partial\":\"false\"", completed, StringComparison.Ordinal);
        Assert.Contains($"saml:{lasso.EntityId}=confirmed", completed, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.SamlLogoutParties.CountAsync(p => p.SpEntityId == lasso.EntityId)));
    }

    [Fact]
    public async Task An_SP_the_browser_tells_is_not_told_again_over_SOAP()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var lasso = new LassoSoapSp(hub);
        using var endpoint = new SoapEndpoint(lasso.AnswerAsync);
        await lasso.SignInAsync(citizen, endpoint.Url, "Land registry", frontChannelUrl: "https://land.agency.example/saml/slo");
        var sessionId = await OnlySessionAsync(citizen);

        var signedOut = await citizen.Client.SubmitAsync("/account", new Dictionary<string, string>(), "/sign-out");
        var toSp = await citizen.Client.GetAsync(signedOut.Location!);

        // The browser carries the LogoutRequest (its metadata has HTTP-Redirect); the session ended in the same
        // transaction that would have queued a SOAP logout, and none was.
        Assert.Equal(HttpStatusCode.Redirect, toSp.Status);
        Assert.StartsWith("https://land.agency.example/saml/slo?SAMLRequest=", toSp.Location, StringComparison.Ordinal);
        Assert.NotNull(await WithDbAsync(db => db.Sessions.Where(s => s.Id == sessionId).Select(s => s.EndedAt).SingleAsync()));
        Assert.Equal(0, await WithDbAsync(db => db.SamlBackChannelLogouts.CountAsync(d => d.SessionId == sessionId)));
        Assert.Empty(endpoint.Requests);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_a_refusal_is_given_up_and_each_attempt_is_audited()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var unavailable = 1;
        // The first SP's endpoint is down once, then answers Success; the second always answers Responder.
        var flaky = new LassoSoapSp(hub);
        using var flakyEndpoint = new SoapEndpoint(body => Interlocked.Exchange(ref unavailable, 0) == 1
            ? Task.FromResult((503, "down for maintenance"))
            : Task.FromResult((200, Answer(flaky.EntityId, body, "urn:oasis:names:tc:SAML:2.0:status:Success"))));
        var refusing = new LassoSoapSp(hub);
        using var refusingEndpoint = new SoapEndpoint(body => Task.FromResult((200, Answer(refusing.EntityId, body, "urn:oasis:names:tc:SAML:2.0:status:Responder"))));
        await flaky.SignInAsync(citizen, flakyEndpoint.Url, "Permits agency");
        await refusing.SignInAsync(citizen, refusingEndpoint.Url, "Benefits agency");
        var sessionId = await OnlySessionAsync(citizen);
        var accountId = await WithDbAsync(db => db.Sessions.Where(s => s.Id == sessionId).Select(s => s.AccountId).SingleAsync());

        // What disabling an account or "sign out everywhere" does: the sessions end without any browser.
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<HubSessions>().EndAllAsync(accountId, "tests", CancellationToken.None));
        }

        await flakyEndpoint.WaitForAsync(1);
        var failed = await DeliveryAsync(sessionId, flaky.EntityId, r => r.LastError is not null);
        Assert.Null(failed.DeliveredAt);
        Assert.Null(failed.GaveUpAt);
        Assert.StartsWith("HTTP 503", failed.LastError, StringComparison.Ordinal);
        Assert.True(failed.NextAttemptAt >= failed.CreatedAt.AddSeconds(0.9), "the retry waits Saml:BackChannelLogout:FirstRetryDelay (1 s under test)");

        var refused = await DeliveryAsync(sessionId, refusing.EntityId, r => r.GaveUpAt is not null);
        Assert.Null(refused.DeliveredAt);
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:status:Responder", refused.LastStatus);
        Assert.Single(refusingEndpoint.Requests);

        // The retry (First retry delay 1 s under test) gets Success with a fresh request ID.
        var delivered = await DeliveryAsync(sessionId, flaky.EntityId, r => r.DeliveredAt is not null);
        Assert.Equal(2, delivered.Attempts);
        var requests = await flakyEndpoint.WaitForAsync(2);
        Assert.NotEqual(RequestIdOf(requests[0].Body), RequestIdOf(requests[1].Body));
        Assert.Equal(delivered.RequestId, RequestIdOf(requests[1].Body));

        var events = await hub.EventsAsync(citizen.Letter.NationalId);
        Assert.Contains(events, e => e.Type == "saml.logout.soap.failed" && e.Details.Contains(flaky.EntityId, StringComparison.Ordinal) && e.Details.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "saml.logout.soap.delivered" && e.Details.Contains(flaky.EntityId, StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "saml.logout.soap.failed" && e.Details.Contains(refusing.EntityId, StringComparison.Ordinal)
            && e.Details.Contains("gave-up", StringComparison.Ordinal));
        Assert.Single(refusingEndpoint.Requests);
    }

    /// <summary>An unsigned LogoutResponse answering the request in <paramref name="envelope"/>: the hub called the SP's registered endpoint itself.</summary>
    private static string Answer(string spEntityId, string envelope, string status) => $"""
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{Guid.NewGuid():N}" Version="2.0" IssueInstant="{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'}" InResponseTo="{RequestIdOf(envelope)}"><saml:Issuer>{spEntityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status></samlp:LogoutResponse></soap:Body></soap:Envelope>
        """;

    private static string RequestIdOf(string envelope) => Regex.Match(envelope, "<samlp:LogoutRequest[^>]* ID=\"([^\"]+)\"").Groups[1].Value;

    private async Task<Guid> OnlySessionAsync(ActivatedCitizen citizen) =>
        await WithDbAsync(db => db.Sessions.Where(s => s.EndedAt == null && db.Users.Any(u => u.Id == s.AccountId && u.UserName == citizen.Letter.NationalId))
            .Select(s => s.Id).SingleAsync());

    private async Task<IdentityHub.Data.Saml.SamlBackChannelLogoutRecord> DeliveryAsync(Guid sessionId, string spEntityId, Func<IdentityHub.Data.Saml.SamlBackChannelLogoutRecord, bool> until)
    {
        IdentityHub.Data.Saml.SamlBackChannelLogoutRecord? row = null;
        for (var waited = 0; waited < 300; waited++)
        {
            row = await WithDbAsync(db => db.SamlBackChannelLogouts.AsNoTracking().SingleOrDefaultAsync(d => d.SessionId == sessionId && d.SpEntityId == spEntityId));
            if (row is not null && until(row))
            {
                return row;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the SOAP logout of {spEntityId} did not get there in 30 s: {(row is null ? "no row" : $"attempts {row.Attempts}, status {row.LastStatus}, error {row.LastError}")}");
        return row!;
    }

    private async Task<T> WithDbAsync<T>(Func<HubDbContext, Task<T>> query)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    /// <summary>A Lasso SP with a SOAP SingleLogoutService (and no front-channel one), signed in once; it answers the hub's SOAP logouts with Lasso.</summary>
    private sealed class LassoSoapSp(HubFixture hub)
    {
        private JsonObject _sp = new();
        private string _idpMetadata = "";

        public string EntityId { get; } = $"https://lasso-{Guid.NewGuid():N}.agency.example/saml";

        public JsonObject? Profile { get; private set; }

        public ConcurrentQueue<JsonObject> Results { get; } = new();

        public async Task SignInAsync(ActivatedCitizen citizen, string soapUrl, string displayName, string? frontChannelUrl = null)
        {
            using var http = new HttpClient { BaseAddress = hub.BaseAddress };
            _idpMetadata = await http.GetStringAsync("/saml/metadata");
            var keys = SpKeys.Create("Lasso SP");
            _sp = LassoSp.Sp(EntityId, "https://land.agency.example/saml/acs", keys.PrivateKeyPem, keys.CertificatePem);
            _sp["soapLogoutUrl"] = soapUrl;
            _sp["logoutCallbackUrl"] = frontChannelUrl;
            var metadata = (await LassoSp.RunAsync("metadata", new JsonObject { ["sp"] = _sp.DeepClone() })).Ok()["metadata"]!.GetValue<string>();
            await using (var scope = hub.App.Services.CreateAsyncScope())
            {
                var (_, problem) = await scope.ServiceProvider.GetRequiredService<ServiceProviders>().AddAsync(new ServiceProviderSpec
                {
                    Metadata = Encoding.UTF8.GetBytes(metadata),
                    DisplayName = displayName,
                    MinimumLevel = "low",
                    GovernmentService = true,
                }, "tests", CancellationToken.None);
                Assert.True(problem is null, problem);
            }

            var request = (await LassoSp.RunAsync("login-request", new JsonObject { ["sp"] = _sp.DeepClone(), ["idpMetadata"] = _idpMetadata })).Ok();
            var page = await citizen.Client.GetAsync(new Uri(request["url"]!.GetValue<string>()).PathAndQuery);
            Assert.True(page.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(page.Body));
            var form = await citizen.Client.GetAsync(page.Location!);
            Profile = (await LassoSp.RunAsync("validate-response", new JsonObject
            {
                ["sp"] = _sp.DeepClone(),
                ["idpMetadata"] = _idpMetadata,
                ["samlResponse"] = form.Hidden("SAMLResponse"),
                ["requestId"] = request["requestId"]!.GetValue<string>(),
            })).Ok();
        }

        public JsonObject Input(string envelope, bool session = true) => new()
        {
            ["sp"] = _sp.DeepClone(),
            ["idpMetadata"] = _idpMetadata,
            ["soapRequest"] = envelope,
            ["session"] = session ? Profile?["session"]?.DeepClone() : null,
        };

        public async Task<(int Status, string Body)> AnswerAsync(string envelope)
        {
            var answer = await LassoSp.RunAsync("soap-logout", Input(envelope));
            Results.Enqueue(answer.Body);
            return answer.ExitCode == 0 ? (200, answer.Body["soapResponse"]!.GetValue<string>()) : (500, answer.Body.ToJsonString());
        }
    }
}
