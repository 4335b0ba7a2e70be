using System.Net;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Console;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// A hundred wrong passwords: the account locks after five, stays locked (the right password is refused too), and each
/// lock-out lasts twice as long as the one before. Staff sign-in runs the same password step as citizens'.
/// </summary>
[Collection(ClockedHubCollection.Name)]
public sealed class LockoutTests(ClockedHubFixture hub)
{
    private static Dictionary<string, string> Form(string user, string password) => new() { ["UserName"] = user, ["Password"] = password };

    [Fact]
    public async Task A_hundred_wrong_passwords_lock_the_account_and_the_right_one_is_refused_while_locked()
    {
        var user = "lock-" + Guid.NewGuid().ToString("N")[..6];
        var password = await hub.CreateStaffAsync(user, "officer");
        using var client = new HubWebClient(hub.BaseAddress);

        var answers = new List<WebPage>();
        for (var i = 0; i < 100; i++)
        {
            answers.Add(await client.SubmitAsync("/console/sign-in", Form(user, "not the password " + i)));
        }

        Assert.All(answers, a => Assert.Contains("The username or password is wrong.", a.Body, StringComparison.Ordinal));
        var right = await client.SubmitAsync("/console/sign-in", Form(user, password));
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains("The username or password is wrong.", right.Body, StringComparison.Ordinal);

        var failures = (await hub.EventsAsync(user)).Where(e => e.Type == "auth.login.failed").Select(e => e.Details).ToList();
        // Only the first five reached the password: the rest met a locked account (and a decoy verification).
        Assert.Equal(4, failures.Count(f => f.Contains("\"wrong-password\"", StringComparison.Ordinal)));
        Assert.Single(failures, f => f.Contains("\"wrong-password-locked\"", StringComparison.Ordinal));
        Assert.Equal(96, failures.Count(f => f.Contains("\"locked-out\"", StringComparison.Ordinal)));
        Assert.Single(await hub.EventsAsync(user), e => e.Type == "auth.lockout");
    }

    [Fact]
    public async Task Each_lockout_lasts_twice_as_long_as_the_one_before_and_a_sign_in_resets_the_count()
    {
        var user = "backoff-" + Guid.NewGuid().ToString("N")[..6];
        var password = await hub.CreateStaffAsync(user, "officer");
        using var client = new HubWebClient(hub.BaseAddress);
        async Task FailFiveTimesAsync()
        {
            for (var i = 0; i < 5; i++)
            {
                await client.SubmitAsync("/console/sign-in", Form(user, "wrong " + i));
            }
        }

        await FailFiveTimesAsync();
        Assert.InRange(await LockedForAsync(user), TimeSpan.FromSeconds(59.99), TimeSpan.FromMinutes(1));
        hub.Clock.Advance(TimeSpan.FromSeconds(61));
        await FailFiveTimesAsync();
        Assert.InRange(await LockedForAsync(user), TimeSpan.FromSeconds(119.99), TimeSpan.FromMinutes(2));
        hub.Clock.Advance(TimeSpan.FromSeconds(61));
        var stillLocked = await client.SubmitAsync("/console/sign-in", Form(user, password));
        Assert.Equal(HttpStatusCode.OK, stillLocked.Status);

        hub.Clock.Advance(TimeSpan.FromSeconds(60));
        var signedIn = await client.SubmitAsync("/console/sign-in", Form(user, password));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.AsNoTracking().SingleAsync(u => u.UserName == user);
        Assert.Equal(0, account.LockoutEpisodes);
        Assert.Equal(0, account.AccessFailedCount);
    }

    private async Task<TimeSpan> LockedForAsync(string user)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.AsNoTracking().SingleAsync(u => u.UserName == user);
        return account.LockoutEnd!.Value - hub.Clock.GetUtcNow();
    }
}
