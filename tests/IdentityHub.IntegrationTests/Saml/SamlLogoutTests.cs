using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.IntegrationTests.Oidc;
using IdentityHub.Testing;
using IdentityHub.Testing.Saml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// Single Logout against npm's @node-saml/node-saml as the SPs (saml-profiles-2.0-os §4.4): an SP-initiated logout ends
/// the hub session, the hub sends each other SP of the session a signed LogoutRequest that node-saml verifies, takes its
/// signed LogoutResponse, answers the initiating SP with a signed LogoutResponse node-saml accepts, and tells the
/// session's OpenID Connect agencies by back-channel. A hub sign-out does the same, and a logout that cannot reach an
/// agency says so (PartialLogout, and on the citizen's page). Refusals: unsigned, replayed, unknown principal, an
/// answer to nothing.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SamlLogoutTests(HubFixture hub)
{
    private const string LogoutCallback = "https://permits.agency.example/saml/slo";

    [Fact]
    public async Task An_SP_initiated_logout_reaches_the_other_SP_and_the_OIDC_agency_and_node_saml_accepts_the_answer()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sso = new SamlSsoTests(hub);
        var first = await sso.RegisterAsync(NodeSamlSp.Redirect, encrypted: false, configure: WithLogout, displayName: "Permits agency");
        // (HTTP-Redirect for its AuthnRequests: the harness skips DEFLATE for an HTTP-POST SP, and node-saml would then also
        // send its redirect-bound LogoutResponse uncompressed, which saml-bindings §3.4.4.1 does not allow.)
        var second = await sso.RegisterAsync(NodeSamlSp.Redirect, encrypted: true, configure: WithLogout, displayName: "Benefits agency");
        using var oidcEndpoint = new LogoutReceiver();
        var oidc = await OidcDriver.RegisterAsync(hub, "tax.agency.test", backChannelLogoutUri: oidcEndpoint.Uri);
        var profile = await SignInAsync(citizen, first);
        await SignInAsync(citizen, second);
        Assert.Equal(HttpStatusCode.Redirect, (await citizen.Client.GetAsync(OidcDriver.Request(oidc).Query)).Status);

        // The first SP asks: its LogoutRequest names the NameID and SessionIndex it was given, signed on the query.
        var request = (await NodeSamlSp.RunAsync("logout-request", new JsonObject
        {
            ["sp"] = first.Config.DeepClone(),
            ["nameId"] = profile["nameID"]!.GetValue<string>(),
            ["nameIdFormat"] = profile["nameIDFormat"]!.GetValue<string>(),
            ["sessionIndex"] = profile["sessionIndex"]!.GetValue<string>(),
            ["relayState"] = "back-to-permits",
        })).Ok();
        var started = await citizen.Client.GetAsync(new Uri(request["url"]!.GetValue<string>()).PathAndQuery);
        Assert.True(started.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(started.Body));
        Assert.StartsWith("/saml/slo/continue/", started.Location, StringComparison.Ordinal);

        // The hub session has ended already; the second SP gets a LogoutRequest by POST (its metadata offers only that).
        var toSecond = await citizen.Client.GetAsync(started.Location!);
        Assert.Equal(HttpStatusCode.OK, toSecond.Status);
        Assert.Contains($"action=\"{LogoutCallback}\"", toSecond.Body, StringComparison.Ordinal);
        var told = (await NodeSamlSp.RunAsync("validate-logout-request", new JsonObject
        {
            ["sp"] = second.Config.DeepClone(),
            ["body"] = new JsonObject { ["SAMLRequest"] = toSecond.Hidden("SAMLRequest") },
        })).Ok();
        Assert.Equal(LogoutCallback, told["destination"]!.GetValue<string>());
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", told["nameIdFormat"]!.GetValue<string>());

        // Its signed LogoutResponse comes back by redirect; the hub answers the first SP, which accepts it.
        var back = await citizen.Client.GetAsync(new Uri(told["responseUrl"]!.GetValue<string>()).PathAndQuery);
        Assert.True(back.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(back.Body));
        var answer = await citizen.Client.GetAsync(back.Location!);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var accepted = (await NodeSamlSp.RunAsync("validate-logout-response", new JsonObject
        {
            ["sp"] = first.Config.DeepClone(),
            ["body"] = new JsonObject { ["SAMLResponse"] = answer.Hidden("SAMLResponse"), ["RelayState"] = answer.Hidden("RelayState") },
            ["requestIds"] = NodeSamlSp.RequestIds(request["requestId"]!.GetValue<string>()),
        })).Ok();
        Assert.Equal("back-to-permits", accepted["relayState"]!.GetValue<string>());
        Assert.DoesNotContain("PartialLogout", Decode(answer.Hidden("SAMLResponse")!), StringComparison.Ordinal);

        // The OIDC agency got its logout token; the hub session is over; the audit says who knows.
        Assert.Single(await oidcEndpoint.WaitForAsync(1));
        Assert.Equal(HttpStatusCode.Redirect, (await citizen.Client.GetAsync("/account")).Status);
        var events = await hub.EventsAsync(citizen.Letter.NationalId);
        Assert.Contains(events, e => e.Type == "saml.logout.requested" && e.Details.Contains(request["requestId"]!.GetValue<string>(), StringComparison.Ordinal));
        var completed = Assert.Single(events, e => e.Type == "saml.logout.completed").Details;
        Assert.Contains("\"partial\":\"false\"", completed, StringComparison.Ordinal);
        Assert.Contains($"saml:{second.EntityId}=confirmed", completed, StringComparison.Ordinal);
        Assert.Contains($"oidc:{oidc}=confirmed", completed, StringComparison.Ordinal);

        // The same request again: answered once.
        var again = await citizen.Client.GetAsync(new Uri(request["url"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:status:RequestDenied", Decode(again.Hidden("SAMLResponse")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_at_the_hub_tells_each_SP_and_reports_a_partial_logout_when_one_cannot_be_told()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sso = new SamlSsoTests(hub);
        var withSlo = await sso.RegisterAsync(NodeSamlSp.Redirect, encrypted: false, configure: WithLogout, displayName: "Permits agency");
        var withoutSlo = await sso.RegisterAsync(NodeSamlSp.Redirect, encrypted: false, displayName: "Land registry");
        await SignInAsync(citizen, withSlo);
        await SignInAsync(citizen, withoutSlo);

        var signedOut = await citizen.Client.SubmitAsync("/account", new Dictionary<string, string>(), "/sign-out");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
        Assert.StartsWith("/saml/slo/continue/", signedOut.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await citizen.Client.GetAsync("/account")).Status);

        var toSp = await citizen.Client.GetAsync(signedOut.Location!);
        var told = (await NodeSamlSp.RunAsync("validate-logout-request", new JsonObject
        {
            ["sp"] = withSlo.Config.DeepClone(),
            ["body"] = new JsonObject { ["SAMLRequest"] = toSp.Hidden("SAMLRequest") },
        })).Ok();
        var back = await citizen.Client.GetAsync(new Uri(told["responseUrl"]!.GetValue<string>()).PathAndQuery);
        var report = await citizen.Client.GetAsync(back.Location!);

        // The land registry's metadata has no SingleLogoutService: the citizen is told to sign out there.
        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.Contains("data-partial=\"true\"", report.Body, StringComparison.Ordinal);
        Assert.Contains("<tr data-state=\"confirmed\"><td>Permits agency</td>", report.Body, StringComparison.Ordinal);
        Assert.Contains("<tr data-state=\"unreachable\"><td>Land registry</td>", report.Body, StringComparison.Ordinal);
        Assert.Contains("href=\"/login\"", report.Body, StringComparison.Ordinal);
        var completed = Assert.Single(await hub.EventsAsync(citizen.Letter.NationalId), e => e.Type == "saml.logout.completed").Details;
        Assert.Contains("\"partial\":\"true\"", completed, StringComparison.Ordinal);

        // Another browser holding the link learns nothing about the citizen's agencies.
        using var stranger = new HubWebClient(hub.BaseAddress);
        var seen = await stranger.GetAsync(signedOut.Location!);
        Assert.DoesNotContain("Land registry", seen.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_SP_initiated_logout_that_cannot_reach_every_agency_answers_PartialLogout()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sso = new SamlSsoTests(hub);
        var first = await sso.RegisterAsync(NodeSamlSp.Redirect, encrypted: false, configure: WithLogout);
        var oidc = await OidcDriver.RegisterAsync(hub, "health.agency.test", backChannelLogoutUri: null);
        var profile = await SignInAsync(citizen, first);
        Assert.Equal(HttpStatusCode.Redirect, (await citizen.Client.GetAsync(OidcDriver.Request(oidc).Query)).Status);

        var request = (await NodeSamlSp.RunAsync("logout-request", new JsonObject
        {
            ["sp"] = first.Config.DeepClone(),
            ["nameId"] = profile["nameID"]!.GetValue<string>(),
            ["nameIdFormat"] = profile["nameIDFormat"]!.GetValue<string>(),
            ["sessionIndex"] = profile["sessionIndex"]!.GetValue<string>(),
        })).Ok();
        var started = await citizen.Client.GetAsync(new Uri(request["url"]!.GetValue<string>()).PathAndQuery);
        var answer = await citizen.Client.GetAsync(started.Location!);

        // The OIDC agency registered no back-channel logout URI: it cannot know, so the logout is partial.
        var xml = Decode(answer.Hidden("SAMLResponse")!);
        Assert.Contains("<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:PartialLogout\" />", xml, StringComparison.Ordinal);
        (await NodeSamlSp.RunAsync("validate-logout-response", new JsonObject
        {
            ["sp"] = first.Config.DeepClone(),
            ["body"] = new JsonObject { ["SAMLResponse"] = answer.Hidden("SAMLResponse") },
            ["requestIds"] = NodeSamlSp.RequestIds(request["requestId"]!.GetValue<string>()),
        })).Ok();
        Assert.Contains($"oidc:{oidc}=unreachable", Assert.Single(await hub.EventsAsync(citizen.Letter.NationalId), e => e.Type == "saml.logout.completed").Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_messages_that_are_unsigned_name_nobody_or_answer_nothing_are_refused_and_audited_and_end_no_session()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sso = new SamlSsoTests(hub);
        var sp = await sso.RegisterAsync(NodeSamlSp.Redirect, encrypted: false, configure: WithLogout);
        var profile = await SignInAsync(citizen, sp);
        JsonObject Request(string nameId) => new()
        {
            ["sp"] = sp.Config.DeepClone(),
            ["nameId"] = nameId,
            ["nameIdFormat"] = profile["nameIDFormat"]!.GetValue<string>(),
            ["sessionIndex"] = profile["sessionIndex"]!.GetValue<string>(),
        };

        // Unsigned: an error page, no answer to anyone.
        var url = new Uri((await NodeSamlSp.RunAsync("logout-request", Request(profile["nameID"]!.GetValue<string>()))).Ok()["url"]!.GetValue<string>());
        var unsigned = string.Join('&', url.PathAndQuery.Split('&').Where(p => !p.StartsWith("Signature=", StringComparison.Ordinal) && !p.StartsWith("SigAlg=", StringComparison.Ordinal)));
        var refused = await citizen.Client.GetAsync(unsigned);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("must be signed", WebUtility.HtmlDecode(refused.Body), StringComparison.Ordinal);

        // Signed, but for a NameID this SP was never given with that SessionIndex: UnknownPrincipal.
        var stranger = (await NodeSamlSp.RunAsync("logout-request", Request("someone-else"))).Ok();
        var unknown = await citizen.Client.GetAsync(new Uri(stranger["url"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal", Decode(unknown.Hidden("SAMLResponse")!), StringComparison.Ordinal);

        // A LogoutResponse, signed by the SP, to no request the hub sent.
        var nothing = await citizen.Client.GetAsync(SignedRedirect(sp, "SAMLResponse", $$"""
            <samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{{Guid.NewGuid():N}}" Version="2.0" IssueInstant="{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}" Destination="{{new Uri(hub.BaseAddress, "saml/slo")}}" InResponseTo="_never-sent"><saml:Issuer>{{sp.EntityId}}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>
            """));
        Assert.Equal(HttpStatusCode.BadRequest, nothing.Status);
        Assert.Contains("answers no logout request", WebUtility.HtmlDecode(nothing.Body), StringComparison.Ordinal);

        // A form ASP.NET will not decode (a NUL in a value): a bad request, not a server error.
        var nul = await citizen.Client.PostAsync("/saml/slo", new Dictionary<string, string> { ["SAMLRequest"] = "PHg+\0" }, null);
        Assert.Equal(HttpStatusCode.BadRequest, nul.Status);

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var types = await db.AuditEvents.Where(e => e.Subject == sp.EntityId && e.Type == "saml.logout.refused").Select(e => e.Details).ToListAsync();
            Assert.Contains(types, d => d.Contains("unsigned", StringComparison.Ordinal));
            Assert.Contains(types, d => d.Contains("unknown-principal", StringComparison.Ordinal));
            Assert.Contains(types, d => d.Contains("unknown-request", StringComparison.Ordinal));
            Assert.True(await db.AuditEvents.AnyAsync(e => e.Type == "saml.logout.refused" && e.Details.Contains("malformed-form")));
            Assert.Equal(0, await db.SamlLogouts.CountAsync(l => l.InitiatorEntityId == sp.EntityId));
        }

        // None of it ended the session.
        Assert.Equal(HttpStatusCode.OK, (await citizen.Client.GetAsync("/account")).Status);
    }

    [Fact]
    public async Task An_OIDC_agency_logout_tells_the_SAML_SPs_of_the_session_first_and_then_returns_to_the_agency()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await new SamlSsoTests(hub).RegisterAsync(NodeSamlSp.Redirect, encrypted: false, configure: WithLogout);
        await SignInAsync(citizen, sp);
        var oidc = await OidcDriver.RegisterAsync(hub, "tax.agency.test");
        var authorization = OidcDriver.Request(oidc);
        var code = OidcDriver.CallbackParameters(await citizen.Client.GetAsync(authorization.Query))["code"];
        var (status, tokens) = await OidcDriver.RedeemAsync(hub, oidc, code, authorization.Verifier);
        Assert.Equal(HttpStatusCode.OK, status);

        var logout = await citizen.Client.GetAsync("/connect/logout?id_token_hint=" + tokens.GetProperty("id_token").GetString()
            + "&post_logout_redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:9/signed-out") + "&state=st-1");
        Assert.StartsWith("/saml/slo/continue/", logout.Location, StringComparison.Ordinal);
        var toSp = await citizen.Client.GetAsync(logout.Location!);
        var told = (await NodeSamlSp.RunAsync("validate-logout-request", new JsonObject
        {
            ["sp"] = sp.Config.DeepClone(),
            ["body"] = new JsonObject { ["SAMLRequest"] = toSp.Hidden("SAMLRequest") },
        })).Ok();
        var back = await citizen.Client.GetAsync(new Uri(told["responseUrl"]!.GetValue<string>()).PathAndQuery);
        var done = await citizen.Client.GetAsync(back.Location!);
        Assert.StartsWith("/connect/logout?", done.Location, StringComparison.Ordinal);
        var returned = await citizen.Client.GetAsync(done.Location!);
        Assert.Equal("http://127.0.0.1:9/signed-out?state=st-1", returned.Location);
    }

    private static string SignedRedirect(SamlSsoTests.RegisteredSp sp, string parameter, string xml)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(xml.Trim()));
        }

        var query = parameter + "=" + Uri.EscapeDataString(Convert.ToBase64String(buffer.ToArray()))
            + "&SigAlg=" + Uri.EscapeDataString("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(sp.Config["spPrivateKeyPem"]!.GetValue<string>());
        var signature = rsa.SignData(Encoding.UTF8.GetBytes(query), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return "/saml/slo?" + query + "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(signature));
    }

    private static void WithLogout(JsonObject config) => config["logoutCallbackUrl"] = LogoutCallback;

    private static async Task<JsonObject> SignInAsync(ActivatedCitizen citizen, SamlSsoTests.RegisteredSp sp)
    {
        var (answer, requestId) = await SamlSsoTests.SignInAsync(citizen, sp);
        return (await NodeSamlSp.RunAsync("validate-response", new JsonObject
        {
            ["sp"] = sp.Config.DeepClone(),
            ["samlResponse"] = answer.SamlResponse,
            ["requestIds"] = NodeSamlSp.RequestIds(requestId),
        })).Ok()["profile"]!.AsObject();
    }

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));
}
