using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>Signing in, errors, the admin's staff page and role checks, in Chromium.</summary>
public sealed class StaffConsoleTests(HubFixture hub, Chromium chromium) : IClassFixture<HubFixture>, IClassFixture<Chromium>
{
    [Fact]
    public async Task Wrong_password_shows_the_error_summary_linked_to_the_field()
    {
        await hub.CreateStaffAsync("walter", "officer");
        await using var session = await BrowserSession.OpenAsync(chromium, hub);

        await session.SignInAsync("walter", "not-the-password");

        var page = session.Page;
        Assert.Equal("/console/sign-in", new Uri(page.Url).AbsolutePath);
        Assert.StartsWith("Error: ", await page.TitleAsync(), StringComparison.Ordinal);
        var summary = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(summary).ToContainTextAsync("There is a problem");
        var link = summary.GetByRole(AriaRole.Link, new() { Name = "The username or password is wrong." });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", "#UserName");
        await link.ClickAsync();
        await Assertions.Expect(page.GetByLabel("Username", new() { Exact = true })).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("Username", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task Admin_creates_an_officer_who_cannot_open_the_staff_page()
    {
        var adminPassword = await hub.CreateStaffAsync("anna", "admin");
        string officerPassword;
        await using (var admin = await BrowserSession.OpenAsync(chromium, hub))
        {
            await admin.SignInAsync("anna", adminPassword);
            await admin.ChangePasswordAsync(adminPassword, "ferns and copper lanterns");
            await admin.GoToAsync("/console/staff");
            await admin.Page.GetByLabel("Username", new() { Exact = true }).FillAsync("oscar");
            await admin.Page.GetByLabel("Full name", new() { Exact = true }).FillAsync("Oscar Officer");
            await admin.Page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("officer");
            await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await admin.CheckPageAsync();
            officerPassword = (await admin.Page.Locator("#one-time-password").TextContentAsync())!.Trim();
            await Assertions.Expect(admin.Page.GetByRole(AriaRole.Row, new() { Name = "oscar Oscar Officer officer" })).ToBeVisibleAsync();
        }

        await using var officer = await BrowserSession.OpenAsync(chromium, hub);
        await officer.SignInAsync("oscar", officerPassword);
        await officer.ChangePasswordAsync(officerPassword, "seven orange umbrellas sing");
        await Assertions.Expect(officer.Page.GetByRole(AriaRole.Link, new() { Name = "Staff accounts" })).ToHaveCountAsync(0);

        var denied = await officer.GoToAsync("/console/staff");

        Assert.Equal(403, denied!.Status);
        Assert.Equal("/console/access-denied", new Uri(officer.Page.Url).AbsolutePath);
        await Assertions.Expect(officer.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You do not have access to this page");
    }

    [Fact]
    public async Task Sign_in_works_with_the_keyboard_alone()
    {
        var password = await hub.CreateStaffAsync("kim", "auditor");
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        var page = session.Page;
        await session.GoToAsync("/console/sign-in");

        // The first Tab reaches the skip link.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" })).ToBeFocusedAsync();

        var userName = page.GetByLabel("Username", new() { Exact = true });
        for (var i = 0; i < 5 && !await userName.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(userName).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("kim");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console/change-password");
        await session.CheckPageAsync();
    }
}
