using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Oidc;
using IdentityHub.Testing.Oidc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// Pushed authorization requests (RFC 9126), DPoP (RFC 9449) and the FAPI 2.0 profile, each hostile case answered with
/// the protocol's own error and nothing issued.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ParAndDpopTests(HubFixture hub)
{
    private string Url(string path) => new Uri(hub.BaseAddress, path).AbsoluteUri;

    private async Task<string> RegisterAsync(AgencyKey key, string profile = OidcClientProfiles.Fapi2, bool requireDpop = false, bool requirePar = false)
    {
        var clientId = "fapi-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = hub.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
            GovernmentService = true,
            ClientId = clientId,
            DisplayName = "Health " + clientId,
            Jwks = key.Jwks,
            RedirectUris = [OidcDriver.Callback],
            Scopes = [OidcScopes.Profile, OidcScopes.OfflineAccess],
            Sector = "health.agency.test",
            Profile = profile,
            RequireDpop = requireDpop,
            RequirePushedAuthorization = requirePar,
        }, "tests", CancellationToken.None);
        Assert.True(result.Succeeded, result.Problem);
        return clientId;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, Dictionary<string, string> form, string? dpop = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (dpop is not null)
        {
            request.Headers.Add("DPoP", dpop);
        }

        using var response = await hub.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private Dictionary<string, string> Authenticated(AgencyKey key, string clientId, Dictionary<string, string> form)
    {
        form["client_id"] = clientId;
        form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
        form["client_assertion"] = key.Assertion(clientId, hub.BaseAddress.ToString());
        return form;
    }

    /// <summary>Pushes the request (with a DPoP proof), logs the citizen in through request_uri and returns the code.</summary>
    private async Task<(string Code, OidcDriver.Pending Pending, JsonElement Pushed)> PushAndLogInAsync(AgencyKey key, string clientId, HubWebClient browser, ActivatedCitizen? citizen, AgencyKey? dpop = null)
    {
        var pending = OidcDriver.Request(clientId, "openid profile offline_access");
        var form = QueryHelpers.ParseQuery(new Uri(hub.BaseAddress, pending.Query).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        var pushed = await PostAsync("/connect/par", Authenticated(key, clientId, form), dpop?.Proof("POST", Url("/connect/par")));
        Assert.True(pushed.Status == HttpStatusCode.Created, pushed.Body.ToString());
        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?> { ["client_id"] = clientId, ["request_uri"] = pushed.Body.GetProperty("request_uri").GetString() });
        var back = citizen is null ? await OidcDriver.FollowAsync(browser, authorize) : await OidcDriver.LogInAndComeBackAsync(browser, citizen, authorize);
        var parameters = OidcDriver.CallbackParameters(back);
        Assert.Equal(pending.State, parameters["state"]);
        Assert.Equal(hub.BaseAddress.ToString(), parameters["iss"]);
        return (parameters["code"], pending, pushed.Body);
    }

    private Dictionary<string, string> CodeForm(AgencyKey key, string clientId, string code, OidcDriver.Pending pending) =>
        Authenticated(key, clientId, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = OidcDriver.Callback, ["code_verifier"] = pending.Verifier,
        });

    private async Task<HttpResponseMessage> UserInfoAsync(string scheme, string accessToken, string? dpop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, accessToken);
        if (dpop is not null)
        {
            request.Headers.Add("DPoP", dpop);
        }

        return await hub.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_FAPI_client_pushes_its_request_logs_in_and_gets_DPoP_bound_tokens_that_only_its_key_can_use()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var key = new AgencyKey();
        using var dpop = new AgencyKey();
        using var thief = new AgencyKey();
        var clientId = await RegisterAsync(key);
        using var browser = new HubWebClient(hub.BaseAddress);

        var (code, pending, pushed) = await PushAndLogInAsync(key, clientId, browser, citizen, dpop);
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", pushed.GetProperty("request_uri").GetString(), StringComparison.Ordinal);
        Assert.InRange(pushed.GetProperty("expires_in").GetInt32(), 1, 599);

        // The code is bound to the key that pushed the request: another key's proof does not redeem it.
        var stolen = await PostAsync("/connect/token", CodeForm(key, clientId, code, pending), thief.Proof("POST", Url("/connect/token")));
        Assert.Equal("invalid_grant", stolen.Body.GetProperty("error").GetString());
        Assert.False(stolen.Body.TryGetProperty("access_token", out _));

        var (code2, pending2, _) = await PushAndLogInAsync(key, clientId, browser, citizen: null, dpop);
        var tokens = await PostAsync("/connect/token", CodeForm(key, clientId, code2, pending2), dpop.Proof("POST", Url("/connect/token")));
        Assert.True(tokens.Status == HttpStatusCode.OK, tokens.Body.ToString());
        Assert.Equal("DPoP", tokens.Body.GetProperty("token_type").GetString());
        var accessToken = tokens.Body.GetProperty("access_token").GetString()!;
        var jwt = new JsonWebToken(accessToken);
        Assert.Equal(dpop.Thumbprint, JsonDocument.Parse(jwt.GetClaim("cnf").Value).RootElement.GetProperty("jkt").GetString());
        Assert.Equal(clientId, jwt.GetClaim("client_id").Value);

        using (var ok = await UserInfoAsync("DPoP", accessToken, dpop.Proof("GET", Url("/connect/userinfo"), accessToken)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var asBearer = await UserInfoAsync("Bearer", accessToken, dpop: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, asBearer.StatusCode);
        }

        using (var byThief = await UserInfoAsync("DPoP", accessToken, thief.Proof("GET", Url("/connect/userinfo"), accessToken)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, byThief.StatusCode);
            Assert.StartsWith("DPoP", byThief.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var noAth = await UserInfoAsync("DPoP", accessToken, dpop.Proof("GET", Url("/connect/userinfo"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noAth.StatusCode);
        }

        // The refresh token continues with the same key only.
        var refreshToken = tokens.Body.GetProperty("refresh_token").GetString()!;
        var refreshForm = () => Authenticated(key, clientId, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });
        var wrongKey = await PostAsync("/connect/token", refreshForm(), thief.Proof("POST", Url("/connect/token")));
        Assert.Equal("invalid_grant", wrongKey.Body.GetProperty("error").GetString());
        var noProof = await PostAsync("/connect/token", refreshForm());
        Assert.Equal("invalid_dpop_proof", noProof.Body.GetProperty("error").GetString());
        var refreshed = await PostAsync("/connect/token", refreshForm(), dpop.Proof("POST", Url("/connect/token")));
        Assert.True(refreshed.Status == HttpStatusCode.OK, refreshed.Body.ToString());
        Assert.Equal("DPoP", refreshed.Body.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task DPoP_proofs_with_a_wrong_key_method_URL_type_or_age_or_a_replayed_jti_are_refused_and_nothing_is_issued()
    {
        using var key = new AgencyKey();
        using var dpop = new AgencyKey();
        using var other = new AgencyKey();
        var clientId = await RegisterAsync(key, OidcClientProfiles.Standard, requireDpop: true);
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<OidcClients>().UpdateAsync(clientId, s => s with { AllowClientCredentials = true }, "tests", CancellationToken.None)).Succeeded);
        }

        var token = Url("/connect/token");
        Dictionary<string, string> Form() => Authenticated(key, clientId, new() { ["grant_type"] = "client_credentials" });
        var cases = new (string Case, string? Proof)[]
        {
            ("no proof for a client that requires one", null),
            ("signed by another key than its jwk", dpop.Proof("POST", token, jwkOf: other)),
            ("wrong method", dpop.Proof("GET", token)),
            ("wrong URL", dpop.Proof("POST", Url("/connect/userinfo"))),
            ("wrong typ", dpop.Proof("POST", token, typ: "JWT")),
            ("too old", dpop.Proof("POST", token, iat: DateTimeOffset.UtcNow.AddMinutes(-10))),
            ("from the future", dpop.Proof("POST", token, iat: DateTimeOffset.UtcNow.AddMinutes(5))),
            ("not a JWT", "not-a-jwt"),
        };
        foreach (var (name, proof) in cases)
        {
            var answer = await PostAsync("/connect/token", Form(), proof);
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{name}: {answer.Status} {answer.Body}");
            Assert.True(answer.Body.GetProperty("error").GetString() == "invalid_dpop_proof", $"{name}: {answer.Body}");
            Assert.False(answer.Body.TryGetProperty("access_token", out _), name);
        }

        var once = dpop.Proof("POST", token, jti: "one-jti");
        var first = await PostAsync("/connect/token", Form(), once);
        Assert.True(first.Status == HttpStatusCode.OK, first.Body.ToString());
        Assert.Equal("DPoP", first.Body.GetProperty("token_type").GetString());
        var replayed = await PostAsync("/connect/token", Form(), once);
        Assert.Equal("invalid_dpop_proof", replayed.Body.GetProperty("error").GetString());
        Assert.False(replayed.Body.TryGetProperty("access_token", out _));

        // Two DPoP headers are one too many.
        using var twice = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(Form()) };
        twice.Headers.Add("DPoP", [dpop.Proof("POST", token), dpop.Proof("POST", token)]);
        using var twiceAnswer = await hub.Http.SendAsync(twice);
        Assert.Equal(HttpStatusCode.BadRequest, twiceAnswer.StatusCode);
        Assert.Contains("invalid_dpop_proof", await twiceAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_FAPI_client_that_does_not_push_its_request_gets_no_code_and_a_request_uri_works_once_and_for_its_client_only()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var key = new AgencyKey();
        var clientId = await RegisterAsync(key);
        var otherId = await RegisterAsync(key);
        using var browser = new HubWebClient(hub.BaseAddress);

        // Sign the citizen in first, so that a code would be issued at once if the request were accepted.
        await PushAndLogInAsync(key, clientId, browser, citizen);

        var byValue = await OidcDriver.FollowAsync(browser, OidcDriver.Request(clientId, "openid profile").Query);
        var error = byValue.Location is { } location && location.StartsWith(OidcDriver.Callback, StringComparison.Ordinal)
            ? QueryHelpers.ParseQuery(new Uri(location).Query)["error"].ToString()
            : byValue.Body;
        Assert.Contains("invalid_request", error, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", byValue.Location ?? "", StringComparison.Ordinal);

        var pending = OidcDriver.Request(clientId, "openid profile");
        var form = QueryHelpers.ParseQuery(new Uri(hub.BaseAddress, pending.Query).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        var pushed = await PostAsync("/connect/par", Authenticated(key, clientId, form));
        var requestUri = pushed.Body.GetProperty("request_uri").GetString();

        var foreign = await OidcDriver.FollowAsync(browser, QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?> { ["client_id"] = otherId, ["request_uri"] = requestUri }));
        Assert.DoesNotContain("code=", foreign.Location ?? "", StringComparison.Ordinal);

        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?> { ["client_id"] = clientId, ["request_uri"] = requestUri });
        Assert.Contains("code", OidcDriver.CallbackParameters(await OidcDriver.FollowAsync(browser, authorize)).Keys);
        var again = await OidcDriver.FollowAsync(browser, authorize);
        Assert.DoesNotContain("code=", again.Location ?? "", StringComparison.Ordinal);

        // A pushed request may not itself carry a request_uri, and an unauthenticated push is refused.
        form["request_uri"] = requestUri!;
        Assert.Equal("invalid_request", (await PostAsync("/connect/par", Authenticated(key, clientId, form))).Body.GetProperty("error").GetString());
        form.Remove("request_uri");
        form.Remove("client_assertion");
        form.Remove("client_assertion_type");
        var anonymous = await PostAsync("/connect/par", form);
        Assert.Equal("invalid_client", anonymous.Body.GetProperty("error").GetString());
        Assert.False(anonymous.Body.TryGetProperty("request_uri", out _));
    }

    [Fact]
    public async Task Prompt_login_in_a_pushed_request_asks_for_a_login_once_and_then_issues_the_code()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var key = new AgencyKey();
        var clientId = await RegisterAsync(key, OidcClientProfiles.Standard, requirePar: true);
        using var browser = new HubWebClient(hub.BaseAddress);
        await PushAndLogInAsync(key, clientId, browser, citizen);

        var pending = OidcDriver.Request(clientId, "openid", new Dictionary<string, string> { ["prompt"] = "login" });
        var form = QueryHelpers.ParseQuery(new Uri(hub.BaseAddress, pending.Query).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        await Task.Delay(1100); // auth_time has whole seconds: the new login must come after the push
        var pushed = await PostAsync("/connect/par", Authenticated(key, clientId, form));
        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?> { ["client_id"] = clientId, ["request_uri"] = pushed.Body.GetProperty("request_uri").GetString() });
        var back = await OidcDriver.LogInAndComeBackAsync(browser, citizen, authorize);
        Assert.Contains("code", OidcDriver.CallbackParameters(back).Keys);
    }

    [Fact]
    public async Task Client_assertions_that_are_expired_replayed_or_for_another_audience_are_refused()
    {
        using var key = new AgencyKey();
        var clientId = await RegisterAsync(key, OidcClientProfiles.Standard);
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<OidcClients>().UpdateAsync(clientId, s => s with { AllowClientCredentials = true }, "tests", CancellationToken.None)).Succeeded);
        }

        Dictionary<string, string> With(string assertion) => new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", ["client_assertion"] = assertion,
        };
        var expired = await PostAsync("/connect/token", With(key.Assertion(clientId, hub.BaseAddress.ToString(), expires: DateTime.UtcNow.AddMinutes(-5))));
        Assert.Equal("invalid_client", expired.Body.GetProperty("error").GetString());
        var wrongAudience = await PostAsync("/connect/token", With(key.Assertion(clientId, "https://another-provider.test/")));
        Assert.Equal("invalid_client", wrongAudience.Body.GetProperty("error").GetString());
        var good = key.Assertion(clientId, hub.BaseAddress.ToString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/connect/token", With(good))).Status);
        var replayed = await PostAsync("/connect/token", With(good));
        Assert.Equal("invalid_client", replayed.Body.GetProperty("error").GetString());
        Assert.False(replayed.Body.TryGetProperty("access_token", out _));
    }
}
