using System.Net;
using System.Text.Json;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>A hub with a low per-address limit on the token, PAR, introspection and revocation endpoints.</summary>
public sealed class OidcRateLimitedHubFixture : HubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Oidc:RateLimits:BackChannelPerMinute"] = "3",
    };
}

/// <summary>Each back-channel request verifies a secret or an assertion and may sign in the HSM: one address may not take them all.</summary>
public sealed class BackChannelRateLimitTests(OidcRateLimitedHubFixture hub) : IClassFixture<OidcRateLimitedHubFixture>
{
    [Fact]
    public async Task The_fourth_back_channel_request_in_a_minute_from_one_address_gets_429_in_the_OAuth_error_format_and_discovery_stays_open()
    {
        var secret = new string('r', 40);
        var clientId = await OidcDriver.RegisterAsync(hub, "rate.agency.test", secret: secret);

        for (var i = 0; i < 3; i++)
        {
            using var introspect = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "not-a-token" }) };
            introspect.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
            using var answer = await hub.Http.SendAsync(introspect);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, body);
            Assert.False(JsonDocument.Parse(body).RootElement.GetProperty("active").GetBoolean());
        }

        // The fourth goes to another of the limited endpoints: they share one budget.
        using var revoke = new HttpRequestMessage(HttpMethod.Post, "/connect/revoke") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "x" }) };
        using var refused = await hub.Http.SendAsync(revoke);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("temporarily_unavailable", error.GetProperty("error").GetString());
        Assert.Contains("Wait", error.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        var (again, _) = await OidcDriver.TokenAsync(hub, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" }, (clientId, secret));
        Assert.Equal(HttpStatusCode.TooManyRequests, again);

        // Discovery, JWKS and the authorization endpoint are not in this budget.
        using var discovery = await hub.Http.GetAsync("/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        using var jwks = await hub.Http.GetAsync("/.well-known/jwks");
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
    }
}
