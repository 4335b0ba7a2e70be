using IdentityHub.Authentication.Staff;
using IdentityHub.Authentication.Totp;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>RFC 6238 codes computed here with Otp.NET against the hub's TOTP apps, on the hub's (fake) clock.</summary>
[Collection(ClockedHubCollection.Name)]
public sealed class TotpTests(ClockedHubFixture hub)
{
    private async Task<(Guid AccountId, byte[] Secret)> EnrolledAsync(string? name = null)
    {
        var userName = "totp-" + Guid.NewGuid().ToString("N")[..6];
        await using var scope = hub.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(userName, null, StaffRoles.Officer, "tests", CancellationToken.None);
        var account = (await scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>().FindByNameAsync(userName))!;
        var (_, secret) = await AddAppAsync(account, name ?? "Phone");
        return (account.Id, secret);
    }

    private async Task<(TotpAuthenticatorRecord Record, byte[] Secret)> AddAppAsync(HubAccount account, string name)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var apps = scope.ServiceProvider.GetRequiredService<TotpAuthenticators>();
        var enrolment = apps.Begin(account);
        var secret = Base32Encoding.ToBytes(enrolment.Secret);
        // Set-up is confirmed with the code of the step before, so the current step stays free for the tests.
        var record = await apps.ConfirmAsync(account, enrolment, name, CodeAt(secret, -1), CancellationToken.None);
        Assert.NotNull(record);
        return (record, secret);
    }

    private async Task<TotpCheck> VerifyAsync(Guid accountId, string code)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<TotpAuthenticators>().VerifyAsync(accountId, code, CancellationToken.None)).Result;
    }

    private string CodeAt(byte[] secret, int stepsFromNow) =>
        new OtpNet.Totp(secret).ComputeTotp(hub.Clock.GetUtcNow().UtcDateTime.AddSeconds(30 * stepsFromNow));

    [Fact]
    public async Task A_code_works_once()
    {
        var (account, secret) = await EnrolledAsync();
        var code = CodeAt(secret, 0);

        Assert.Equal(TotpCheck.Accepted, await VerifyAsync(account, code));
        Assert.Equal(TotpCheck.Replayed, await VerifyAsync(account, code));
    }

    [Fact]
    public async Task One_step_of_drift_is_accepted_two_are_not()
    {
        var (account, secret) = await EnrolledAsync();

        Assert.Equal(TotpCheck.Wrong, await VerifyAsync(account, CodeAt(secret, 2)));
        Assert.Equal(TotpCheck.Wrong, await VerifyAsync(account, CodeAt(secret, -2)));
        Assert.Equal(TotpCheck.Accepted, await VerifyAsync(account, CodeAt(secret, 1)));
    }

    [Fact]
    public async Task After_a_code_was_used_an_older_one_is_refused_and_the_next_step_works()
    {
        var (account, secret) = await EnrolledAsync();
        var previous = CodeAt(secret, -1);
        Assert.Equal(TotpCheck.Accepted, await VerifyAsync(account, CodeAt(secret, 0)));

        Assert.Equal(TotpCheck.Replayed, await VerifyAsync(account, previous));
        hub.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TotpCheck.Accepted, await VerifyAsync(account, CodeAt(secret, 0)));
    }

    [Fact]
    public async Task Malformed_codes_are_refused()
    {
        var (account, _) = await EnrolledAsync();

        Assert.Equal(TotpCheck.Wrong, await VerifyAsync(account, "12345"));
        Assert.Equal(TotpCheck.Wrong, await VerifyAsync(account, "abcdef"));
        Assert.Equal(TotpCheck.Wrong, await VerifyAsync(account, ""));
    }

    [Fact]
    public async Task Two_apps_each_accept_their_own_codes_and_a_race_with_one_code_has_one_winner()
    {
        var (accountId, phone) = await EnrolledAsync("Phone");
        HubAccount account;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            account = (await scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>().FindByIdAsync(accountId.ToString()))!;
        }

        var (_, tablet) = await AddAppAsync(account, "Tablet");
        Assert.Equal(TotpCheck.Accepted, await VerifyAsync(accountId, CodeAt(tablet, 0)));

        var code = CodeAt(phone, 0);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => VerifyAsync(accountId, code)));
        Assert.Equal(1, results.Count(r => r == TotpCheck.Accepted));
        Assert.Equal(7, results.Count(r => r == TotpCheck.Replayed));
    }

    [Fact]
    public async Task The_secret_is_stored_only_protected()
    {
        var (accountId, secret) = await EnrolledAsync();
        await using var scope = hub.App.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<HubDbContext>().TotpAuthenticators.AsNoTracking().SingleAsync(t => t.AccountId == accountId);

        Assert.False(stored.ProtectedSecret.AsSpan().IndexOf(secret) >= 0, "the raw secret is in the row");
        Assert.DoesNotContain(Base32Encoding.ToString(secret).TrimEnd('='), System.Text.Encoding.ASCII.GetString(stored.ProtectedSecret), StringComparison.Ordinal);
        Assert.True(stored.ProtectedSecret.Length > secret.Length);
    }
}
