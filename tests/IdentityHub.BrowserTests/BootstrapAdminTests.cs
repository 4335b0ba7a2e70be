using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>The very first sign-in: an operator bootstraps the admin with hubctl, the admin signs in in Chromium.</summary>
public sealed class BootstrapAdminTests(HubFixture hub, Chromium chromium) : IClassFixture<HubFixture>, IClassFixture<Chromium>
{
    [Fact]
    public async Task Bootstrapped_admin_must_change_the_one_time_password_before_reaching_home()
    {
        var bootstrap = await ProcessRunner.RunDotnetAsync(BuiltAssemblies.Hubctl,
            ["staff", "bootstrap-admin", "--user", "ada", "--display-name", "Ada Admin"],
            new Dictionary<string, string?> { ["ConnectionStrings__Hub"] = hub.ConnectionString });
        Assert.True(bootstrap.ExitCode == 0, bootstrap.Error);
        var oneTimePassword = bootstrap.Output.Trim();

        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.SignInAsync("ada", oneTimePassword);

        // Forced to change the password, and no other page opens until it is done.
        Assert.Equal("/console/change-password", new Uri(session.Page.Url).AbsolutePath);
        await session.GoToAsync("/console/staff");
        Assert.Equal("/console/change-password", new Uri(session.Page.Url).AbsolutePath);

        await session.ChangePasswordAsync(oneTimePassword, "correct horse battery staple");

        Assert.Equal("/console", new Uri(session.Page.Url).AbsolutePath);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Officer console");
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Main)).ToContainTextAsync("You are signed in as Ada Admin (username ada)");
        await Assertions.Expect(session.Page.Locator(".roles li")).ToHaveTextAsync(["admin"]);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Link, new() { Name = "Staff accounts" })).ToBeVisibleAsync();

        // The one-time password is spent.
        await session.SignOutAsync();
        await session.SignInAsync("ada", oneTimePassword);
        Assert.Equal("/console/sign-in", new Uri(session.Page.Url).AbsolutePath);
    }
}
