using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Data.Accounts;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>
/// /console/security lists the signed-in member's ways to sign in; adding, renaming and removing a passkey are each
/// confirmed on the console's home page, as a password change is; the set-up page of a session that cannot bind
/// anything says what to do instead of offering choices that would refuse.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SecurityPageTests(HubFixture hub)
{
    private string Origin => hub.BrowserAddress.ToString().TrimEnd('/');

    private static async Task<string> MessageAsync(HubWebClient client)
    {
        var home = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        return Regex.Match(ConsoleWeb.Text(home with { Body = Regex.Match(home.Body, "<div class=\"panel\" role=\"status\" id=\"message\"[^>]*>(.*?)</div>", RegexOptions.Singleline).Value }), @"\S.*\S").Value;
    }

    [Fact]
    public async Task The_security_page_lists_the_password_apps_passkeys_and_recovery_codes_with_their_links()
    {
        var (staff, client) = await ConsoleWeb.SignedInWithTotpAsync(hub, StaffRoles.Officer);
        using var _ = client;
        using var key = new SoftwareAuthenticator(Origin);
        var (challenge, options) = await client.PasskeyOptionsAsync("/console/setup/passkey");
        CitizenWeb.Expect(await client.PostPasskeyAsync("/console/setup/passkey", "Register", challenge, key.Register(options),
            new Dictionary<string, string> { ["Name"] = "Desk key" }), "/console", "passkey");

        var page = await client.GetAsync("/console/security");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var text = ConsoleWeb.Text(page);
        Assert.Contains("Set when your account was created", text, StringComparison.Ordinal);
        Assert.Contains("Phone", text, StringComparison.Ordinal);
        Assert.Contains("Desk key", text, StringComparison.Ordinal);
        Assert.Contains("You have 0 unused recovery codes.", text, StringComparison.Ordinal);
        foreach (var link in new[] { "/console/change-password", "/console/setup/passkey", "/console/setup/totp", "/console/security/recovery-codes", $"/console/security/rename?kind=passkey&amp;id={key.CredentialIdText}" })
        {
            Assert.Contains($"href=\"{link}\"", page.Body, StringComparison.Ordinal);
        }

        Assert.Contains("action=\"/console/security?handler=Remove\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/security\"", (await client.GetAsync("/console")).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/change-password", new Dictionary<string, string>
        {
            ["CurrentPassword"] = staff.Password,
            ["NewPassword"] = ConsoleWeb.NewPassword,
            ["ConfirmPassword"] = ConsoleWeb.NewPassword,
        })).Status);
        Assert.Contains("Last changed", ConsoleWeb.Text(await client.GetAsync("/console/security")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_renaming_and_removing_a_passkey_are_each_confirmed_on_the_home_page()
    {
        var (staff, client) = await ConsoleWeb.SignedInWithTotpAsync(hub, StaffRoles.Officer);
        using var _ = client;
        using var key = new SoftwareAuthenticator(Origin);
        var (challenge, options) = await client.PasskeyOptionsAsync("/console/setup/passkey");

        CitizenWeb.Expect(await client.PostPasskeyAsync("/console/setup/passkey", "Register", challenge, key.Register(options),
            new Dictionary<string, string> { ["Name"] = "Desk key" }), "/console", "add");
        Assert.Equal("Your passkey is saved.", await MessageAsync(client));
        Assert.Equal("", await MessageAsync(client)); // once

        var rename = $"/console/security/rename?kind=passkey&id={key.CredentialIdText}";
        CitizenWeb.Expect(await client.SubmitAsync(rename, new Dictionary<string, string> { ["Kind"] = "passkey", ["Id"] = key.CredentialIdText, ["Name"] = "Counter key" }), "/console", "rename");
        Assert.Equal("The authenticator was renamed.", await MessageAsync(client));
        Assert.Contains("\"name\":\"Counter key\"", await hub.LastAsync(staff.UserName, "auth.factor.renamed"), StringComparison.Ordinal);

        CitizenWeb.Expect(await client.SubmitAsync("/console/security", new Dictionary<string, string> { ["Kind"] = "passkey", ["Id"] = key.CredentialIdText }, "/console/security?handler=Remove"),
            "/console", "remove");
        Assert.Equal("The authenticator was removed.", await MessageAsync(client));
        Assert.Contains("\"name\":\"Counter key\"", await hub.LastAsync(staff.UserName, "auth.factor.removed"), StringComparison.Ordinal);
        Assert.DoesNotContain("Counter key", (await client.GetAsync("/console/security")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_the_last_second_factor_is_refused_on_the_security_page()
    {
        var (_, client) = await ConsoleWeb.SignedInWithTotpAsync(hub, StaffRoles.Officer);
        using var __ = client;
        var page = await client.GetAsync("/console/security");
        var id = Regex.Match(page.Body, "name=\"Kind\" value=\"totp\">\\s*<input type=\"hidden\" name=\"Id\" value=\"([^\"]+)\"").Groups[1].Value;

        var refused = await client.PostAsync("/console/security?handler=Remove", new Dictionary<string, string> { ["Kind"] = "totp", ["Id"] = id }, HubWebClient.TokenOf(page.Body));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("error-summary", refused.Body, StringComparison.Ordinal);
        Assert.Contains("Phone", refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_set_up_page_of_a_session_opened_by_a_password_alone_says_to_ask_for_a_one_time_password()
    {
        var user = ConsoleWeb.Unique("setup");
        var oneTime = await hub.CreateStaffAsync(user, StaffRoles.Officer);
        using (var first = new HubWebClient(hub.BaseAddress))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await first.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(user, oneTime))).Status);
            CitizenWeb.Expect(await first.SubmitAsync("/console/change-password", ConsoleWeb.Change(oneTime)), "/console", "password");
            var choices = await first.GetAsync("/console/setup");
            Assert.Contains("href=\"/console/setup/totp\"", choices.Body, StringComparison.Ordinal);
        }

        using var client = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/sign-in", ConsoleWeb.SignIn(user, ConsoleWeb.NewPassword))).Status);

        var setup = await client.GetAsync("/console/setup");

        Assert.Equal(HttpStatusCode.OK, setup.Status);
        Assert.Contains("Ask an admin for a new one-time password", ConsoleWeb.Text(setup), StringComparison.Ordinal);
        Assert.Contains("class=\"panel panel-warning\" role=\"alert\"", setup.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/console/setup/totp\"", setup.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/console/setup/passkey\"", setup.Body, StringComparison.Ordinal);
    }
}
