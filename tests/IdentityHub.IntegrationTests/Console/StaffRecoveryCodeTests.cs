using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>
/// Staff recovery codes: created on the security page (shown once, stored as hashes), offered right after the first
/// second factor is set up, and usable once each at sign-in's second step instead of the app — counted toward the
/// lock-out, audited, and confirmed on the console's home page.
/// </summary>
[Collection(HubCollection.Name)]
public sealed partial class StaffRecoveryCodeTests(HubFixture hub)
{
    private static async Task<IReadOnlyList<string>> CreateCodesAsync(HubWebClient client)
    {
        var page = await client.SubmitAsync("/console/security/recovery-codes", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var codes = CodeItem().Matches(page.Body).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        return codes;
    }

    private static async Task<WebPage> PasswordStepAsync(HubWebClient client, CounterStaff staff)
    {
        var page = await client.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(staff.UserName, staff.Password));
        CitizenWeb.Expect(page, "/console/sign-in/verify", "password");
        return await client.GetAsync("/console/sign-in/verify");
    }

    private static Task<WebPage> UseCodeAsync(HubWebClient client, string code) =>
        client.SubmitAsync("/console/sign-in/recovery-code", new Dictionary<string, string> { ["Code"] = code });

    [Fact]
    public async Task A_staff_member_creates_codes_and_signs_in_once_with_each_instead_of_the_app()
    {
        var (staff, signedIn) = await ConsoleWeb.SignedInWithTotpAsync(hub, StaffRoles.Officer);
        IReadOnlyList<string> codes;
        using (signedIn)
        {
            var created = await signedIn.SubmitAsync("/console/security/recovery-codes", new Dictionary<string, string>());
            codes = CodeItem().Matches(created.Body).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(10, codes.Count);
            Assert.DoesNotContain(codes[0], (await signedIn.GetAsync("/console/security/recovery-codes")).Body, StringComparison.Ordinal);
        }

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var id = (await db.Users.AsNoTracking().SingleAsync(u => u.UserName == staff.UserName)).Id;
            var stored = await db.RecoveryCodes.AsNoTracking().Where(r => r.AccountId == id).Select(r => r.CodeHash).ToListAsync();
            Assert.Equal(10, stored.Count);
            Assert.All(stored, h => Assert.Equal(32, h.Length)); // SHA-256 hashes, never the codes
        }

        Assert.Contains("\"count\":\"10\"", await hub.LastAsync(staff.UserName, "auth.recovery-codes.created"), StringComparison.Ordinal);
        using var client = new HubWebClient(hub.BaseAddress);
        var verify = await PasswordStepAsync(client, staff);
        Assert.Contains("href=\"/console/sign-in/recovery-code\"", verify.Body, StringComparison.Ordinal);

        CitizenWeb.Expect(await UseCodeAsync(client, codes[3]), "/console", "recovery code");

        var home = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains("You signed in with a recovery code.", ConsoleWeb.Text(home), StringComparison.Ordinal);
        Assert.Contains("\"remaining\":\"9\"", await hub.LastAsync(staff.UserName, "auth.recovery-code.used"), StringComparison.Ordinal);
        Assert.Contains("\"methods\":\"pwd recovery-code\"", await hub.LastAsync(staff.UserName, "auth.login.succeeded"), StringComparison.Ordinal);
        Assert.Contains("You have 9 unused recovery codes.", ConsoleWeb.Text(await client.GetAsync("/console/security")), StringComparison.Ordinal);

        using var second = new HubWebClient(hub.BaseAddress);
        await PasswordStepAsync(second, staff);
        var reused = await UseCodeAsync(second, codes[3]);
        Assert.Equal(HttpStatusCode.OK, reused.Status);
        Assert.Contains("This recovery code is wrong or was used already.", ConsoleWeb.Text(reused), StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"recovery-code-wrong\"", await hub.LastAsync(staff.UserName, "auth.login.failed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_recovery_codes_count_toward_the_lock_out()
    {
        var (staff, signedIn) = await ConsoleWeb.SignedInWithTotpAsync(hub, StaffRoles.Auditor);
        IReadOnlyList<string> codes;
        using (signedIn)
        {
            codes = await CreateCodesAsync(signedIn);
        }

        using var client = new HubWebClient(hub.BaseAddress);
        await PasswordStepAsync(client, staff);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await UseCodeAsync(client, $"ZZZZZ-ZZZZ{i}")).Status);
        }

        var right = await UseCodeAsync(client, codes[0]);

        Assert.NotEqual(HttpStatusCode.Redirect, right.Status);
        Assert.Single(await hub.EventsAsync(staff.UserName), e => e.Type == "auth.lockout");
        Assert.Contains("\"reason\":\"locked-or-disabled\"", await hub.LastAsync(staff.UserName, "auth.login.failed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_up_the_first_app_leads_to_the_recovery_codes_page()
    {
        var user = ConsoleWeb.Unique("first");
        var oneTime = await hub.CreateStaffAsync(user, StaffRoles.Supervisor);
        using var client = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(user, oneTime))).Status);
        CitizenWeb.Expect(await client.SubmitAsync("/console/change-password", ConsoleWeb.Change(oneTime)), "/console", "password");
        var form = await client.GetAsync("/console/setup/totp");
        var secret = OtpNet.Base32Encoding.ToBytes(Regex.Match(form.Body, "id=\"totp-secret\">([A-Z2-7 ]+)<").Groups[1].Value.Replace(" ", "", StringComparison.Ordinal));

        var confirmed = await client.PostAsync("/console/setup/totp", new Dictionary<string, string>
        {
            ["State"] = form.Hidden("State")!,
            ["Name"] = "Phone",
            ["Code"] = new OtpNet.Totp(secret).ComputeTotp(DateTime.UtcNow),
        }, HubWebClient.TokenOf(form.Body));

        CitizenWeb.Expect(confirmed, "/console/security/recovery-codes", "first app");
        Assert.Contains("You have 0 unused recovery codes.", ConsoleWeb.Text(await client.GetAsync("/console/security/recovery-codes")), StringComparison.Ordinal);
        Assert.Equal(10, (await CreateCodesAsync(client)).Count);
    }

    [Fact]
    public async Task A_set_up_session_opened_by_a_password_alone_cannot_create_recovery_codes()
    {
        var user = ConsoleWeb.Unique("nocodes");
        var oneTime = await hub.CreateStaffAsync(user, StaffRoles.Officer);
        using (var first = new HubWebClient(hub.BaseAddress))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await first.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(user, oneTime))).Status);
            CitizenWeb.Expect(await first.SubmitAsync("/console/change-password", ConsoleWeb.Change(oneTime)), "/console", "password");
        }

        using var client = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(user, ConsoleWeb.NewPassword))).Status);
        var token = HubWebClient.TokenOf((await client.GetAsync("/console/setup")).Body);

        var refused = await client.PostAsync("/console/security/recovery-codes", new Dictionary<string, string>(), token);

        Assert.NotEqual(HttpStatusCode.OK, refused.Status);
        Assert.DoesNotContain(await hub.EventsAsync(user), e => e.Type == "auth.recovery-codes.created");
    }

    [GeneratedRegex("<li>([0-9A-Z]{5}-[0-9A-Z]{5})</li>")]
    private static partial Regex CodeItem();
}
