using System.Net;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// Staff: the set-up session of a one-time password binds a second factor (the admin or hubctl handed the password
/// out); a set-up session opened by a password alone does not. A wrong current password on the password-change page
/// counts toward the lock-out like a wrong password at sign-in.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class StaffFactorTests(HubFixture hub)
{
    private const string NewPassword = "tidal charts mark the harbour";

    private static Dictionary<string, string> SignIn(string user, string password) => new() { ["UserName"] = user, ["Password"] = password };

    private static Dictionary<string, string> Change(string current) => new()
    {
        ["CurrentPassword"] = current,
        ["NewPassword"] = NewPassword,
        ["ConfirmPassword"] = NewPassword,
    };

    private async Task<(string User, HubWebClient Client, string OneTime)> SignedInWithOneTimePasswordAsync(string prefix)
    {
        var user = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        var oneTime = await hub.CreateStaffAsync(user, StaffRoles.Officer);
        var client = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/sign-in", SignIn(user, oneTime))).Status);
        return (user, client, oneTime);
    }

    private async Task<IReadOnlyList<AccountNoticeRecord>> NoticesAsync(string user)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var id = (await db.Users.AsNoTracking().SingleAsync(u => u.UserName == user)).Id;
        return await db.AccountNotices.AsNoTracking().Where(n => n.AccountId == id).OrderBy(n => n.Id).ToListAsync();
    }

    [Fact]
    public async Task The_session_of_the_one_time_password_sets_up_an_app_and_leaves_a_notice()
    {
        var (user, client, oneTime) = await SignedInWithOneTimePasswordAsync("setup");
        using (client)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/change-password", Change(oneTime))).Status);

            await CitizenWeb.AddTotpAsync(client, "/console/setup/totp", "Phone", -1);

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console")).Status);
            Assert.Contains("\"methods\":\"pwd one-time-password\"", await hub.LastAsync(user, "auth.login.succeeded"), StringComparison.Ordinal);
            Assert.Equal(["password-changed", "factor-added"], (await NoticesAsync(user)).Select(n => n.Kind));
        }
    }

    [Fact]
    public async Task A_set_up_session_opened_by_a_password_alone_cannot_add_an_authenticator()
    {
        var (user, client, oneTime) = await SignedInWithOneTimePasswordAsync("nofactor");
        using (client)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/change-password", Change(oneTime))).Status);
            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/setup", new Dictionary<string, string>(), "/console/sign-out")).Status);
        }

        using var again = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SubmitAsync("/console/sign-in", SignIn(user, NewPassword))).Status);
        var totp = WebUtility.HtmlDecode((await again.GetAsync("/console/setup/totp")).Body);

        Assert.Contains("new one-time password", totp, StringComparison.Ordinal);
        Assert.DoesNotContain("totp-secret", totp, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => again.PasskeyOptionsAsync("/console/setup/passkey"));
    }

    [Fact]
    public async Task Five_wrong_current_passwords_lock_the_account_and_the_right_one_is_then_refused()
    {
        var (user, client, oneTime) = await SignedInWithOneTimePasswordAsync("change");
        using (client)
        {
            for (var i = 0; i < 5; i++)
            {
                var wrong = await client.SubmitAsync("/console/change-password", Change("not the password " + i));
                Assert.Equal(HttpStatusCode.OK, wrong.Status);
            }

            var right = await client.SubmitAsync("/console/change-password", Change(oneTime));

            Assert.Equal(HttpStatusCode.OK, right.Status);
            Assert.Contains("paused", WebUtility.HtmlDecode(right.Body), StringComparison.Ordinal);
            Assert.Single(await hub.EventsAsync(user), e => e.Type == "auth.lockout");
            var refusals = (await hub.EventsAsync(user)).Where(e => e.Type == "auth.password.change-refused").Select(e => e.Details).ToList();
            Assert.Equal(4, refusals.Count(r => r.Contains("\"wrong-current-password\"", StringComparison.Ordinal)));
            Assert.Single(refusals, r => r.Contains("\"wrong-current-password-locked\"", StringComparison.Ordinal));
            Assert.Single(refusals, r => r.Contains("\"locked-out\"", StringComparison.Ordinal));
            await using var scope = hub.App.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>();
            var account = (await users.FindByNameAsync(user))!;
            Assert.True(await users.CheckPasswordAsync(account, oneTime), "the password did not change");
            Assert.True(account.LockoutEnd > DateTimeOffset.UtcNow);
        }

        using var other = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await other.SubmitAsync("/console/sign-in", SignIn(user, oneTime))).Status);
    }
}
