using IdentityHub.Authentication.Sessions;

namespace IdentityHub.Authentication.Tests;

/// <summary>The retry schedule of back-channel logouts (OIDC logout tokens, SAML SOAP LogoutRequests) and its checks.</summary>
public sealed class BackChannelDeliveryOptionsTests
{
    [Fact]
    public void The_default_schedule_waits_5_s_30_s_3_min_18_min_and_then_at_most_an_hour()
    {
        var options = new BackChannelDeliveryOptions();

        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(18), TimeSpan.FromHours(1), TimeSpan.FromHours(1)],
            Enumerable.Range(1, 6).Select(options.DelayAfter));
        Assert.Null(options.Problem("Saml:BackChannelLogout"));
    }

    public static TheoryData<string, Action<BackChannelDeliveryOptions>> Invalid => new()
    {
        { "MaxAttempts", o => o.MaxAttempts = 0 },
        { "FirstRetryDelay", o => o.FirstRetryDelay = TimeSpan.Zero },
        { "FirstRetryDelay", o => o.MaxRetryDelay = TimeSpan.FromSeconds(1) },
        { "RetryFactor", o => o.RetryFactor = 0.5 },
        { "HttpTimeout", o => o.HttpTimeout = TimeSpan.FromMinutes(2) },
        { "PollInterval", o => o.PollInterval = TimeSpan.Zero },
        { "BatchSize", o => o.BatchSize = 0 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_setting_out_of_range_is_named_with_its_section(string setting, Action<BackChannelDeliveryOptions> change)
    {
        var options = new BackChannelDeliveryOptions();
        change(options);

        Assert.StartsWith("Saml:BackChannelLogout:" + setting + " ", options.Problem("Saml:BackChannelLogout"), StringComparison.Ordinal);
    }
}
