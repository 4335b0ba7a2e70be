using System.Net;
using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// A citizen changes their password on /account/password with the current one: a wrong current password is refused
/// and counted, a right one changes it, ends the other sessions, keeps this one and leaves a notice and an audit event.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class CitizenPasswordTests(HubFixture hub)
{
    private const string NewPassword = "amber lanterns over the quay";

    private static Dictionary<string, string> Change(string current, string next = NewPassword, string? confirm = null) => new()
    {
        ["CurrentPassword"] = current,
        ["NewPassword"] = next,
        ["ConfirmPassword"] = confirm ?? next,
    };

    [Fact]
    public async Task The_account_page_links_to_the_password_change()
    {
        var citizen = await hub.ActivateWithTotpAsync();

        var account = await citizen.Client.GetAsync("/account");

        Assert.Contains("href=\"/account/password\"", account.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await citizen.Client.GetAsync("/account/password")).Status);
    }

    [Fact]
    public async Task A_right_current_password_changes_it_ends_the_other_sessions_and_keeps_the_eid()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var phone = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await citizen.LoginAsync(phone), "/account", "phone");

        var changed = await citizen.Client.SubmitAsync("/account/password", Change(citizen.Password));

        CitizenWeb.Expect(changed, "/account", "change");
        var account = WebUtility.HtmlDecode((await citizen.Client.GetAsync("/account")).Body);
        Assert.Contains("Your password is changed.", account, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/account")).Status);
        await hub.LastAsync(citizen.Letter.NationalId, "auth.password.changed");

        using var later = new HubWebClient(hub.BaseAddress);
        var old = await later.PasswordAsync(citizen.Letter.NationalId, citizen.Password);
        Assert.NotEqual("/login/verify", old.Location);
        CitizenWeb.Expect(await later.PasswordAsync(citizen.Letter.NationalId, NewPassword), "/login/verify", "new password");
        CitizenWeb.Expect(await later.TotpAsync(citizen.NextCode()), "/account", "second factor kept");
    }

    [Fact]
    public async Task A_wrong_current_password_is_refused_named_at_its_field_and_audited()
    {
        var citizen = await hub.ActivateWithTotpAsync();

        var refused = await citizen.Client.SubmitAsync("/account/password", Change("not my password at all"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("The current password is wrong.", WebUtility.HtmlDecode(refused.Body), StringComparison.Ordinal);
        Assert.Contains("wrong-current-password", await hub.LastAsync(citizen.Letter.NationalId, "auth.password.change-refused"), StringComparison.Ordinal);
        CitizenWeb.Expect(await new HubWebClient(hub.BaseAddress).PasswordAsync(citizen.Letter.NationalId, citizen.Password), "/login/verify", "old password still works");
    }

    [Fact]
    public async Task Two_different_new_passwords_change_nothing()
    {
        var citizen = await hub.ActivateWithTotpAsync();

        var refused = await citizen.Client.SubmitAsync("/account/password", Change(citizen.Password, NewPassword, NewPassword + " again"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("The two new passwords are not the same", refused.Body, StringComparison.Ordinal);
        CitizenWeb.Expect(await new HubWebClient(hub.BaseAddress).PasswordAsync(citizen.Letter.NationalId, citizen.Password), "/login/verify", "unchanged");
    }

    [Fact]
    public async Task The_console_confirms_a_staff_password_change()
    {
        var user = "pwconfirm-" + Guid.NewGuid().ToString("N")[..6];
        var oneTime = await hub.CreateStaffAsync(user, IdentityHub.Data.Accounts.StaffRoles.Officer);
        using var client = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/sign-in", new Dictionary<string, string> { ["UserName"] = user, ["Password"] = oneTime })).Status);

        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/change-password", Change(oneTime))).Status);
        await CitizenWeb.AddTotpAsync(client, "/console/setup/totp", "Phone", -1);
        await client.GetAsync("/console");

        var changed = await client.SubmitAsync("/console/change-password", Change(NewPassword, NewPassword + " too"));

        CitizenWeb.Expect(changed, "/console", "second change");
        Assert.Contains("Your password is changed.", (await client.GetAsync("/console")).Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Your password is changed.", (await client.GetAsync("/console")).Body, StringComparison.Ordinal);
    }
}
