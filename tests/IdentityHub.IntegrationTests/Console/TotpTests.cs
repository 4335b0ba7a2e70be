using IdentityHub.Authentication.Staff;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>RFC 6238 codes computed here with Otp.NET against the hub's provider, on the hub's (fake) clock.</summary>
public sealed class TotpTests(ClockedHubFixture hub) : IClassFixture<ClockedHubFixture>
{
    private async Task<(string UserName, byte[] Secret)> EnrolledAsync()
    {
        var userName = "totp-" + Guid.NewGuid().ToString("N")[..6];
        await using var scope = hub.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(userName, null, StaffRoles.Officer, "tests", CancellationToken.None);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>();
        var account = (await users.FindByNameAsync(userName))!;
        await users.ResetAuthenticatorKeyAsync(account);
        return (userName, Base32Encoding.ToBytes(await users.GetAuthenticatorKeyAsync(account)));
    }

    private async Task<bool> VerifyAsync(string userName, string code)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>();
        var account = (await users.FindByNameAsync(userName))!;
        return await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code);
    }

    private string CodeAt(byte[] secret, int stepsFromNow) =>
        new OtpNet.Totp(secret).ComputeTotp(hub.Clock.GetUtcNow().UtcDateTime.AddSeconds(30 * stepsFromNow));

    [Fact]
    public async Task A_code_works_once()
    {
        var (user, secret) = await EnrolledAsync();
        var code = CodeAt(secret, 0);

        Assert.True(await VerifyAsync(user, code));
        Assert.False(await VerifyAsync(user, code));
    }

    [Fact]
    public async Task One_step_of_drift_is_accepted_two_are_not()
    {
        var (user, secret) = await EnrolledAsync();

        Assert.False(await VerifyAsync(user, CodeAt(secret, 2)));
        Assert.False(await VerifyAsync(user, CodeAt(secret, -2)));
        Assert.True(await VerifyAsync(user, CodeAt(secret, -1)));
    }

    [Fact]
    public async Task After_a_code_was_used_an_older_one_is_refused_and_the_next_step_works()
    {
        var (user, secret) = await EnrolledAsync();
        var previous = CodeAt(secret, -1);
        Assert.True(await VerifyAsync(user, CodeAt(secret, 0)));

        Assert.False(await VerifyAsync(user, previous));
        hub.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await VerifyAsync(user, CodeAt(secret, 0)));
    }

    [Fact]
    public async Task Malformed_codes_are_refused()
    {
        var (user, _) = await EnrolledAsync();

        Assert.False(await VerifyAsync(user, "12345"));
        Assert.False(await VerifyAsync(user, "abcdef"));
        Assert.False(await VerifyAsync(user, ""));
    }
}
