using System.Net;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>A hub with low per-address limits, as production has them.</summary>
public sealed class RateLimitedHubFixture : HubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Authentication:RateLimits:SignInPerMinute"] = "5",
        ["Authentication:RateLimits:ActivationPerMinute"] = "3",
    };
}

/// <summary>Per-address rate limits on the steps that take a secret: lock-out stops guessing at one account, this across many.</summary>
public sealed class RateLimitTests(RateLimitedHubFixture hub) : IClassFixture<RateLimitedHubFixture>
{
    [Fact]
    public async Task The_sixth_sign_in_attempt_in_a_minute_from_one_address_gets_429_across_accounts()
    {
        using var client = new HubWebClient(hub.BaseAddress);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            var id = IdentityHub.Core.Identity.NationalId.NewId().Value;
            statuses.Add((await client.SubmitAsync("/login", new Dictionary<string, string> { ["NationalId"] = id, ["Password"] = "guess number " + i })).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).Status);
    }

    [Fact]
    public async Task Activation_attempts_have_their_own_lower_limit()
    {
        using var client = new HubWebClient(hub.BaseAddress);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.SubmitAsync("/activate", new Dictionary<string, string> { ["NationalId"] = IdentityHub.Core.Identity.NationalId.NewId().Value, ["Code"] = "AAAA-BBBB-CCCC" })).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
