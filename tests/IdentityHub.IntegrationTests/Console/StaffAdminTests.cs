using System.Net;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>
/// The admin's staff page over HTTP: disabling an account through its confirmation page (sessions end at once, audited;
/// never one's own account), assigning and unassigning service points (audited), and a new one-time password.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class StaffAdminTests(HubFixture hub)
{
    private string Origin => hub.BrowserAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task Disabling_goes_through_a_confirmation_page_and_ends_the_members_sessions_at_once()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        var (officer, officerClient) = await ConsoleWeb.SignedInWithTotpAsync(hub, StaffRoles.Officer);
        using var __ = officerClient;
        Assert.True(await ConsoleWeb.SignedInAsync(officerClient));

        var staffPage = await client.GetAsync("/console/staff");
        Assert.Contains($"href=\"/console/staff/disable?user={officer.UserName}\"", staffPage.Body, StringComparison.Ordinal);
        var confirm = await client.GetAsync($"/console/staff/disable?user={officer.UserName}");

        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains($"Disable account {officer.UserName}?", ConsoleWeb.Text(confirm), StringComparison.Ordinal);
        Assert.Contains($"class=\"button button-warning\">Yes, disable {officer.UserName}</button>", confirm.Body, StringComparison.Ordinal);
        Assert.True(await ConsoleWeb.SignedInAsync(officerClient), "opening the confirmation page changed nothing");
        Assert.DoesNotContain(await hub.EventsAsync(officer.UserName), e => e.Type == "staff.account.disabled");

        var disabled = await client.SubmitAsync($"/console/staff/disable?user={officer.UserName}", new Dictionary<string, string> { ["user"] = officer.UserName });

        CitizenWeb.Expect(disabled, "/console/staff", "disable");
        Assert.False(await ConsoleWeb.SignedInAsync(officerClient));
        var audited = await hub.LastAsync(officer.UserName, "staff.account.disabled");
        Assert.Contains("\"sessionsEnded\":\"1\"", audited, StringComparison.Ordinal);
        Assert.Contains($"is disabled", ConsoleWeb.Text(await client.GetAsync("/console/staff")), StringComparison.Ordinal);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.Equal(admin, (await db.AuditEvents.AsNoTracking().Where(e => e.Subject == officer.UserName && e.Type == "staff.account.disabled").SingleAsync()).Actor);
        using var again = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await again.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(officer.UserName, officer.Password))).Status);
    }

    [Fact]
    public async Task An_admin_cannot_disable_their_own_account()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        Assert.DoesNotContain($"/console/staff/disable?user={admin}\"", (await client.GetAsync("/console/staff")).Body, StringComparison.Ordinal);

        var confirm = await client.GetAsync($"/console/staff/disable?user={admin}");
        Assert.Contains("You cannot disable your own account.", ConsoleWeb.Text(confirm), StringComparison.Ordinal);
        Assert.DoesNotContain("button-warning", confirm.Body, StringComparison.Ordinal);
        var token = HubWebClient.TokenOf((await client.GetAsync("/console/staff")).Body);
        var refused = await client.PostAsync("/console/staff/disable", new Dictionary<string, string> { ["user"] = admin }, token);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("role=\"alert\"", refused.Body, StringComparison.Ordinal);
        Assert.True(await ConsoleWeb.SignedInAsync(client));
        Assert.DoesNotContain(await hub.EventsAsync(admin), e => e.Type == "staff.account.disabled");
    }

    [Fact]
    public async Task An_officer_cannot_disable_anyone()
    {
        var (_, officerClient) = await ConsoleWeb.SignedInWithTotpAsync(hub, StaffRoles.Officer);
        using var client = officerClient;
        var target = ConsoleWeb.Unique("target");
        await hub.CreateStaffAsync(target, StaffRoles.Officer);
        var token = HubWebClient.TokenOf((await client.GetAsync("/console")).Body);

        var refused = await client.PostAsync("/console/staff/disable", new Dictionary<string, string> { ["user"] = target }, token);

        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.StartsWith("/console/access-denied", refused.Location, StringComparison.Ordinal);
        Assert.DoesNotContain(await hub.EventsAsync(target), e => e.Type == "staff.account.disabled");
    }

    [Fact]
    public async Task The_admin_assigns_and_unassigns_service_points_and_each_change_is_audited()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        var code = "SP-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await ConsoleWeb.OpenServicePointAsync(hub, code);
        var officer = ConsoleWeb.Unique("placed");
        await hub.CreateStaffAsync(officer, StaffRoles.Officer);
        var page = await client.GetAsync("/console/staff");
        Assert.Contains(">Service point</label>", page.Body, StringComparison.Ordinal);
        Assert.Contains(">Assign service point</button>", page.Body, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{code}\">", page.Body, StringComparison.Ordinal);

        var assigned = await client.PostAsync("/console/staff?handler=Assign", new Dictionary<string, string> { ["member"] = officer, ["servicePoint"] = code }, HubWebClient.TokenOf(page.Body));

        CitizenWeb.Expect(assigned, "/console/staff", "assign");
        Assert.Contains($"\"servicePoint\":\"{code}\"", await hub.LastAsync(officer, "staff.service-point.assigned"), StringComparison.Ordinal);
        var after = await client.GetAsync("/console/staff");
        Assert.Contains($"{officer} is assigned to service point {code}", ConsoleWeb.Text(after), StringComparison.Ordinal);
        Assert.Contains($"<input type=\"hidden\" name=\"servicePoint\" value=\"{code}\">", after.Body, StringComparison.Ordinal);
        Assert.Contains(">Unassign</button>", after.Body, StringComparison.Ordinal);

        var unassigned = await client.PostAsync("/console/staff?handler=Unassign", new Dictionary<string, string> { ["member"] = officer, ["servicePoint"] = code }, HubWebClient.TokenOf(after.Body));

        CitizenWeb.Expect(unassigned, "/console/staff", "unassign");
        Assert.Contains($"\"servicePoint\":\"{code}\"", await hub.LastAsync(officer, "staff.service-point.unassigned"), StringComparison.Ordinal);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.Equal([admin, admin], await db.AuditEvents.AsNoTracking().Where(e => e.Subject == officer && e.Type.StartsWith("staff.service-point.")).OrderBy(e => e.Sequence).Select(e => e.Actor).ToListAsync());
        Assert.False(await db.StaffServicePoints.AnyAsync(p => p.ServicePoint == code));
    }

    [Fact]
    public async Task A_reset_password_is_shown_once_ends_the_members_sessions_and_must_be_changed_at_the_next_sign_in()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        var (officer, officerClient) = await ConsoleWeb.SignedInWithTotpAsync(hub, StaffRoles.Officer);
        using var __ = officerClient;
        var confirm = await client.GetAsync($"/console/staff/reset-password?user={officer.UserName}");
        Assert.Contains($"Yes, reset the password of {officer.UserName}", confirm.Body, StringComparison.Ordinal);
        Assert.True(await ConsoleWeb.SignedInAsync(officerClient));

        var reset = await client.SubmitAsync($"/console/staff/reset-password?user={officer.UserName}", new Dictionary<string, string> { ["user"] = officer.UserName });

        Assert.Equal(HttpStatusCode.OK, reset.Status);
        var oneTime = System.Text.RegularExpressions.Regex.Match(reset.Body, "id=\"one-time-password\">([a-z0-9-]+)<").Groups[1].Value;
        Assert.Matches("^[a-z2-9]{5}(-[a-z2-9]{5}){3}$", oneTime);
        Assert.False(await ConsoleWeb.SignedInAsync(officerClient));
        Assert.Contains("\"sessionsEnded\":\"1\"", await hub.LastAsync(officer.UserName, "staff.account.password-reset"), StringComparison.Ordinal);
        Assert.DoesNotContain(oneTime, string.Join(' ', (await hub.EventsAsync(officer.UserName)).Select(e => e.Details)), StringComparison.Ordinal);
        using var old = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await old.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(officer.UserName, officer.Password))).Status);
        using var fresh = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await fresh.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(officer.UserName, oneTime)), "/console/sign-in/verify", "one-time password");
        CitizenWeb.Expect(await fresh.SubmitAsync("/console/sign-in/verify", new Dictionary<string, string> { ["Code"] = officer.NextCode() }, "/console/sign-in/verify?handler=Totp"), "/console", "totp");
        Assert.Equal("/console/change-password", (await fresh.GetAsync("/console")).Location);
        await using var scope = hub.App.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>().FindByNameAsync(officer.UserName))!.MustChangePassword);
        Assert.NotEqual(admin, officer.UserName);
    }
}
