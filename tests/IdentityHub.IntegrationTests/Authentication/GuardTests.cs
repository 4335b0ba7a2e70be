using System.Net;
using IdentityHub.Authentication.Staff;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>What a right password alone must not open: a suspended eID, factor changes from a low session, a disabled account's sessions.</summary>
[Collection(HubCollection.Name)]
public sealed class GuardTests(HubFixture hub)
{
    [Fact]
    public async Task A_citizen_whose_eID_is_suspended_cannot_sign_in()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var supervisor = new StaffActor("test-supervisor", new HashSet<string> { StaffRoles.Supervisor });
            Assert.True((await scope.ServiceProvider.GetRequiredService<EidLifecycle>().SuspendAsync(citizen.Letter.DocumentNumber, "reported lost", supervisor, CancellationToken.None)).Succeeded);
        }

        using var client = new HubWebClient(hub.BaseAddress);
        var answer = await client.PasswordAsync(citizen.Letter.NationalId, citizen.Password);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("Your eID is suspended or revoked", answer.Body, StringComparison.Ordinal);
        Assert.Contains("eid-not-active", await hub.LastAsync(citizen.Letter.NationalId, "auth.login.failed"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/account")).Status);
    }

    [Fact]
    public async Task A_password_only_session_must_step_up_before_it_changes_authenticators()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.PasswordAsync(citizen.Letter.NationalId, citizen.Password, "?level=low"), "/account", "low login");

        foreach (var page in new[] { "/account", "/account/totp", "/account/passkey", "/account/recovery-codes" })
        {
            var answer = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, answer.Status);
            Assert.StartsWith("/account/step-up?level=substantial", answer.Location, StringComparison.Ordinal);
        }

        var stepUp = await client.GetAsync("/account/step-up?level=substantial&returnUrl=%2Faccount%2Ftotp");
        CitizenWeb.Expect(stepUp, "/login/verify", "step-up");
        CitizenWeb.Expect(await client.TotpAsync(citizen.NextCode()), "/account/totp", "second factor");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/totp")).Status);
    }

    [Fact]
    public async Task Disabling_a_staff_account_ends_its_open_sessions_at_once()
    {
        var user = "leaver-" + Guid.NewGuid().ToString("N")[..6];
        var password = await hub.CreateStaffAsync(user, StaffRoles.Officer);
        using var client = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/sign-in", new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password })).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console/change-password")).Status);

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            Assert.Null(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().DisableAsync(user, "tests", CancellationToken.None));
        }

        var after = await client.GetAsync("/console/change-password");
        Assert.Equal(HttpStatusCode.Redirect, after.Status);
        Assert.StartsWith("/console/sign-in", new Uri(new Uri("http://x"), after.Location!).AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("\"sessionsEnded\":\"1\"", await hub.LastAsync(user, "staff.account.disabled"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_who_signed_in_with_an_authenticator_app_must_register_a_passkey_before_admin_pages_open()
    {
        var user = "admin-" + Guid.NewGuid().ToString("N")[..6];
        var oneTime = await hub.CreateStaffAsync(user, StaffRoles.Admin);
        const string password = "granite owls keep the ledger";
        byte[] secret;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<HubAccount>>();
            var account = (await users.FindByNameAsync(user))!;
            Assert.True((await users.ChangePasswordAsync(account, oneTime, password)).Succeeded);
            account = (await users.FindByNameAsync(user))!;
            account.MustChangePassword = false;
            await users.UpdateAsync(account);
            var apps = scope.ServiceProvider.GetRequiredService<IdentityHub.Authentication.Totp.TotpAuthenticators>();
            var enrolment = apps.Begin(account);
            secret = OtpNet.Base32Encoding.ToBytes(enrolment.Secret);
            Assert.NotNull(await apps.ConfirmAsync(account, enrolment, "Phone", new OtpNet.Totp(secret).ComputeTotp(DateTime.UtcNow.AddSeconds(-30)), CancellationToken.None));
        }

        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.SubmitAsync("/console/sign-in", new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password }), "/console/sign-in/verify", "password");
        var verified = await client.SubmitAsync("/console/sign-in/verify", new Dictionary<string, string> { ["Code"] = new OtpNet.Totp(secret).ComputeTotp(DateTime.UtcNow) }, "/console/sign-in/verify?handler=Totp");
        Assert.Equal(HttpStatusCode.Redirect, verified.Status);

        var staffPage = await client.GetAsync("/console/staff");
        Assert.Equal(HttpStatusCode.Redirect, staffPage.Status);
        var denied = await client.GetAsync(new Uri(new Uri("http://x"), staffPage.Location!).PathAndQuery);
        Assert.Equal("/console/setup", denied.Location);
        var setup = await client.GetAsync("/console/setup");
        Assert.Contains("Admins sign in with a passkey", setup.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/console/setup/totp", setup.Body, StringComparison.Ordinal);
        Assert.Equal("/console/setup/passkey", (await client.GetAsync("/console/setup/totp")).Location);
    }
}
