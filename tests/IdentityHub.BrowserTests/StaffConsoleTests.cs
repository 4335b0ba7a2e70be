using IdentityHub.Enrolment.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>Signing in, errors, the admin's staff page (service points, disabling), role checks and the security page, in Chromium.</summary>
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

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..5];

    [Fact]
    public async Task Admin_assigns_a_service_point_then_disables_an_officer_after_confirming_and_the_officer_is_signed_out()
    {
        var code = "BR-" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ServicePoints>().AddAsync(code, "Browser counter", "browser-tests", CancellationToken.None);
        }

        var adminName = Unique("adele");
        var officerName = Unique("otto");
        var adminPassword = await hub.CreateStaffAsync(adminName, "admin");
        var officerPassword = await hub.CreateStaffAsync(officerName, "officer");
        await using var officer = await BrowserSession.OpenAsync(chromium, hub);
        await officer.SignInAsync(officerName, officerPassword);
        await officer.ChangePasswordAsync(officerPassword, "seven orange umbrellas sing");
        await using var admin = await BrowserSession.OpenAsync(chromium, hub);
        await admin.SignInAsync(adminName, adminPassword);
        await admin.ChangePasswordAsync(adminPassword, "ferns and copper lanterns");
        await admin.GoToAsync("/console/staff");

        var row = admin.Page.GetByRole(AriaRole.Row).Filter(new() { Has = admin.Page.GetByRole(AriaRole.Cell, new() { Name = officerName, Exact = true }) });
        await row.GetByLabel("Service point", new() { Exact = true }).SelectOptionAsync(code);
        await row.GetByRole(AriaRole.Button, new() { Name = "Assign service point", Exact = true }).ClickAsync();
        await admin.Page.WaitForLoadStateAsync();
        await admin.CheckPageAsync();
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{officerName} is assigned to service point {code}");
        await Assertions.Expect(row).ToContainTextAsync(code);
        await row.GetByRole(AriaRole.Button, new() { Name = "Unassign", Exact = true }).ClickAsync();
        await admin.Page.WaitForLoadStateAsync();
        await admin.CheckPageAsync();
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{officerName} is no longer assigned to service point {code}");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Unassign", Exact = true })).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Link, new() { Name = $"Disable {officerName}" }).ClickAsync();
        await admin.Page.WaitForLoadStateAsync();
        await admin.CheckPageAsync();
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Disable account {officerName}?");
        var yes = admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Yes, disable {officerName}", Exact = true });
        await Assertions.Expect(yes).ToHaveClassAsync("button button-warning");
        await admin.ClickAsync($"Yes, disable {officerName}");

        Assert.Equal("/console/staff", admin.PathNow);
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"The account {officerName} is disabled.");
        await Assertions.Expect(row).ToContainTextAsync("disabled");
        await officer.GoToAsync("/console");
        Assert.Equal("/console/sign-in", officer.PathNow);
    }

    [Fact]
    public async Task An_officer_saves_recovery_codes_sees_them_on_the_security_page_and_signs_in_with_one()
    {
        var name = Unique("rita");
        var oneTime = await hub.CreateStaffAsync(name, "officer");
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.SignInAsync(name, oneTime);
        await session.ChangePasswordAsync(oneTime, "quiet lanterns over the bay");

        Assert.Equal("/console/security/recovery-codes", session.PathNow);
        await session.ClickAsync("Create recovery codes");
        var codes = await session.Page.Locator("#recovery-codes li").AllInnerTextsAsync();
        Assert.Equal(10, codes.Count);
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "I have saved my codes" }).ClickAsync();
        await session.Page.WaitForLoadStateAsync();
        await session.CheckPageAsync();

        Assert.Equal("/console/security", session.PathNow);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your sign-in methods");
        await Assertions.Expect(session.Page.Locator("#authenticators")).ToContainTextAsync("Phone");
        await Assertions.Expect(session.Page.Locator("#recovery-codes-left")).ToHaveTextAsync("You have 10 unused recovery codes.");
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Link, new() { Name = "Add a passkey" })).ToHaveAttributeAsync("href", "/console/setup/passkey");
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Link, new() { Name = "Create new recovery codes" })).ToBeVisibleAsync();

        await session.SignOutAsync();
        await session.GoToAsync("/console/sign-in");
        await session.Page.GetByLabel("Username", new() { Exact = true }).FillAsync(name);
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("quiet lanterns over the bay");
        await session.ClickAsync("Sign in");
        Assert.Equal("/console/sign-in/verify", session.PathNow);
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "Use a recovery code" }).ClickAsync();
        await session.Page.WaitForLoadStateAsync();
        await session.CheckPageAsync();
        await session.Page.GetByLabel("Recovery code", new() { Exact = true }).FillAsync(codes[0].Trim());
        await session.ClickAsync("Continue");

        Assert.Equal("/console", session.PathNow);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("You signed in with a recovery code.");
        await session.GoToAsync("/console/security");
        await Assertions.Expect(session.Page.Locator("#recovery-codes-left")).ToHaveTextAsync("You have 9 unused recovery codes.");
    }
}
