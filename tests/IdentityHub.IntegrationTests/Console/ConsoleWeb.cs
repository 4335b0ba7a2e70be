using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>Staff signed in to the console over HTTP, as the console's pages see them.</summary>
internal static class ConsoleWeb
{
    public const string NewPassword = "tidal charts mark the harbour";

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    public static Dictionary<string, string> SignIn(string user, string password) => new() { ["UserName"] = user, ["Password"] = password };

    /// <summary>
    /// A new admin's first sign-in: the one-time password, a new password, and a passkey from <paramref name="key"/>
    /// registered in that session (admins' pages need a passkey used in the session).
    /// </summary>
    public static async Task<(string User, HubWebClient Client)> SignedInAdminAsync(HubFixture hub, SoftwareAuthenticator key)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(key);
        var user = Unique("admin");
        var oneTime = await hub.CreateStaffAsync(user, StaffRoles.Admin);
        var client = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/console/sign-in", SignIn(user, oneTime))).Status);
        CitizenWeb.Expect(await client.SubmitAsync("/console/change-password", Change(oneTime)), "/console", "password change");
        var (challenge, options) = await client.PasskeyOptionsAsync("/console/setup/passkey");
        CitizenWeb.Expect(await client.PostPasskeyAsync("/console/setup/passkey", "Register", challenge, key.Register(options),
            new Dictionary<string, string> { ["Name"] = "Admin key" }), "/console", "admin passkey");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console/staff")).Status);
        return (user, client);
    }

    /// <summary>A staff member with a TOTP app (<see cref="CounterStaffOnHub"/>), signed in with password and code.</summary>
    public static async Task<(CounterStaff Staff, HubWebClient Client)> SignedInWithTotpAsync(HubFixture hub, string role, params string[] servicePoints)
    {
        var staff = await hub.CreateCounterStaffAsync(Unique(role), role, servicePoints);
        return (staff, await SignInWithTotpAsync(hub, staff));
    }

    public static async Task<HubWebClient> SignInWithTotpAsync(HubFixture hub, CounterStaff staff)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(staff);
        var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.SubmitAsync("/console/sign-in", SignIn(staff.UserName, staff.Password)), "/console/sign-in/verify", "password");
        CitizenWeb.Expect(await client.SubmitAsync("/console/sign-in/verify", new Dictionary<string, string> { ["Code"] = staff.NextCode() }, "/console/sign-in/verify?handler=Totp"),
            "/console", "totp");
        return client;
    }

    public static Dictionary<string, string> Change(string current) => new()
    {
        ["CurrentPassword"] = current,
        ["NewPassword"] = NewPassword,
        ["ConfirmPassword"] = NewPassword,
    };

    public static async Task OpenServicePointAsync(HubFixture hub, string code)
    {
        ArgumentNullException.ThrowIfNull(hub);
        await using var scope = hub.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ServicePoints>().AddAsync(code, "Console test counter " + code, "tests", CancellationToken.None);
    }

    /// <summary>True when the client's console session still opens the home page.</summary>
    public static async Task<bool> SignedInAsync(HubWebClient client) => (await client.GetAsync("/console")).Status == HttpStatusCode.OK;

    public static string Text(WebPage page) => WebUtility.HtmlDecode(Regex.Replace(page?.Body ?? "", "<[^>]+>", " "));
}
