using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Authentication.Staff;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>A hub whose clock the test moves.</summary>
public sealed class ClockedHubFixture : HubFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureNode(WebApplicationBuilder builder) => builder.Services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>Tests in this collection share one hub with a fake clock (one PKI initialisation instead of one per class).</summary>
[CollectionDefinition(Name)]
public sealed class ClockedHubCollection : ICollectionFixture<ClockedHubFixture>
{
    public const string Name = "clocked hub";
}

/// <summary>The console session ends after 15 idle minutes, and after 8 hours however active it is.</summary>
[Collection(ClockedHubCollection.Name)]
public sealed partial class SessionLifetimeTests(ClockedHubFixture hub)
{
    [Fact]
    public async Task An_idle_session_ends_after_15_minutes()
    {
        using var client = await SignedInClientAsync("idle-ida");
        hub.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.True(await IsSignedInAsync(client));

        hub.Clock.Advance(TimeSpan.FromMinutes(16));

        Assert.False(await IsSignedInAsync(client));
    }

    [Fact]
    public async Task An_active_session_ends_8_hours_after_sign_in()
    {
        using var client = await SignedInClientAsync("busy-bob");
        // A request every 9 minutes: each renews the 15-minute idle window, so only the absolute limit can end it.
        var step = TimeSpan.FromMinutes(9);
        var elapsed = TimeSpan.Zero;
        for (; elapsed + step < TimeSpan.FromHours(8); elapsed += step)
        {
            hub.Clock.Advance(step);
            Assert.True(await IsSignedInAsync(client), $"signed out after {elapsed + step}");
        }

        hub.Clock.Advance(step); // 8 h 6 min after sign-in

        Assert.False(await IsSignedInAsync(client));
    }

    private async Task<HttpClient> SignedInClientAsync(string userName)
    {
        string password;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .CreateAsync(userName, null, "officer", "tests", CancellationToken.None)).OneTimePassword!;
        }

        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        var page = await client.GetStringAsync(new Uri("/console/sign-in", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
        });
        using var response = await client.PostAsync(new Uri("/console/sign-in", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await IsSignedInAsync(client));
        return client;
    }

    /// <summary>The change-password page opens for any signed-in account; anonymous visitors are sent to sign in.</summary>
    internal static async Task<bool> IsSignedInAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/console/change-password", UriKind.Relative));
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.Redirect when response.Headers.Location!.OriginalString.Contains("/console/sign-in", StringComparison.Ordinal) => false,
            _ => throw new InvalidOperationException($"unexpected {(int)response.StatusCode} {response.Headers.Location}"),
        };
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
