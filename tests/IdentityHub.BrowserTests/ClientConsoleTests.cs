using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>
/// The admin's OIDC client pages in Chromium, each scanned with axe: register a confidential client (its secret shown
/// once), the list, a refused change whose error links to its field, a saved change (signing algorithm, DPoP, contacts), and a secret rotated after its
/// confirmation page. HUB_SCREENSHOT_DIR keeps screenshots of the list and the edit page.
/// </summary>
public sealed class ClientConsoleTests(HubFixture hub, Chromium chromium) : IClassFixture<HubFixture>, IClassFixture<Chromium>
{
    [Fact]
    public async Task An_admin_registers_lists_changes_and_rotates_the_secret_of_a_client()
    {
        var adminName = "cleo" + Guid.NewGuid().ToString("N")[..5];
        var clientId = "parks-" + Guid.NewGuid().ToString("N")[..5];
        var password = await hub.CreateStaffAsync(adminName, "admin");
        await using var admin = await BrowserSession.OpenAsync(chromium, hub);
        await admin.SignInAsync(adminName, password);
        await admin.ChangePasswordAsync(password, "ferns and copper lanterns");
        var page = admin.Page;

        await admin.GoToAsync("/console");
        await page.GetByRole(AriaRole.Link, new() { Name = "OIDC clients", Exact = true }).ClickAsync();
        await admin.CheckPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Register a client", Exact = true }).ClickAsync();
        await admin.CheckPageAsync();
        await page.GetByLabel("Client id", new() { Exact = true }).FillAsync(clientId);
        await page.GetByLabel("Agency name", new() { Exact = true }).FillAsync("Parks Agency");
        await page.GetByLabel("Redirect URIs", new() { Exact = true }).FillAsync("https://parks.agency.test/cb\nhttps://parks.agency.test/cb2");
        await page.GetByLabel("Logout return URIs", new() { Exact = true }).FillAsync("https://parks.agency.test/");
        await page.GetByLabel("profile: given names, family name, date of birth").CheckAsync();
        await page.GetByLabel("Confidential: the hub generates a secret, shown once").CheckAsync();
        await admin.ClickAsync("Register client");
        var first = (await page.Locator("#client-secret").TextContentAsync())!.Trim();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first);

        await admin.GoToAsync("/console/clients");
        var row = page.Locator($"tr[data-client=\"{clientId}\"]");
        await Assertions.Expect(row).ToContainTextAsync("Parks Agency");
        await Assertions.Expect(row).ToContainTextAsync("https://parks.agency.test/cb2");
        await Screenshot(page, "clients");

        await row.GetByRole(AriaRole.Link, new() { Name = clientId, Exact = true }).ClickAsync();
        await admin.CheckPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"Change the settings of {clientId}" }).ClickAsync();
        await admin.CheckPageAsync();
        await Assertions.Expect(page.GetByLabel("Agency name", new() { Exact = true })).ToHaveValueAsync("Parks Agency");
        await page.GetByLabel("Redirect URIs", new() { Exact = true }).FillAsync("http://parks.agency.test/cb");
        await admin.ClickAsync("Save changes");
        Assert.StartsWith("Error: ", await page.TitleAsync(), StringComparison.Ordinal);
        var link = page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link, new() { Name = "http://parks.agency.test/cb: use https (plain http only to a loopback address)." });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", "#RedirectUris");
        await link.ClickAsync();
        await Assertions.Expect(page.GetByLabel("Redirect URIs", new() { Exact = true })).ToBeFocusedAsync();
        await Screenshot(page, "client-edit");

        await page.GetByLabel("Redirect URIs", new() { Exact = true }).FillAsync("https://parks.agency.test/signin");
        await page.GetByLabel("Agency name", new() { Exact = true }).FillAsync("Parks and Gardens");
        await page.GetByLabel("ID token signing algorithm", new() { Exact = true }).SelectOptionAsync("PS256");
        await page.GetByLabel("DPoP required", new() { Exact = false }).CheckAsync();
        await page.GetByLabel("Contacts", new() { Exact = true }).FillAsync("it@parks.agency.test");
        await admin.ClickAsync("Save changes");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The client's settings are saved.");
        await Assertions.Expect(page.Locator("#client")).ToContainTextAsync("Parks and Gardens");
        await Assertions.Expect(page.Locator("#client")).ToContainTextAsync("https://parks.agency.test/signin");
        await Assertions.Expect(page.Locator("#signing-alg")).ToHaveTextAsync("PS256");
        await Assertions.Expect(page.Locator("#dpop")).ToHaveTextAsync("required");
        await Assertions.Expect(page.Locator("#contacts")).ToContainTextAsync("it@parks.agency.test");

        await page.GetByRole(AriaRole.Link, new() { Name = $"Rotate the secret of {clientId}" }).ClickAsync();
        await admin.CheckPageAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Yes, rotate the secret of {clientId}" })).ToHaveClassAsync("button button-warning");
        await admin.ClickAsync($"Yes, rotate the secret of {clientId}");
        var second = (await page.Locator("#client-secret").TextContentAsync())!.Trim();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", second);
        Assert.NotEqual(first, second);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("HUB_SCREENSHOT_DIR") is { Length: > 0 } shots)
        {
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, name + ".png"), FullPage = true });
        }
    }
}
