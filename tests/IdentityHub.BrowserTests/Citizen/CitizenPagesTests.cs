using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// The citizen pages not on the happy paths, in Chromium with axe: error summaries linked to their fields, the keyboard
/// alone through login, renaming an authenticator, step-up that cannot succeed (not offered, and refused in a warning when asked for), and the unknown-id answer.
/// </summary>
public sealed class CitizenPagesTests(CitizenHubFixture hub, Chromium chromium) : IClassFixture<CitizenHubFixture>, IClassFixture<Chromium>
{
    private const string Password = "lanterns drift over still water";

    [Fact]
    public async Task Login_errors_are_summarised_and_linked_to_their_fields()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.GoToAsync("/login");
        await session.ClickAsync("Continue");

        Assert.StartsWith("Error: ", await session.Page.TitleAsync(), StringComparison.Ordinal);
        var link = session.Page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link, new() { Name = "Enter your national ID" });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", "#NationalId");
        await link.ClickAsync();
        await Assertions.Expect(session.Page.GetByLabel("National ID", new() { Exact = true })).ToBeFocusedAsync();
        await Assertions.Expect(session.Page.GetByLabel("National ID", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");

        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync("12345678901");
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("whatever it is");
        await session.ClickAsync("Continue");
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter a valid national ID");

        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(IdentityHub.Core.Identity.NationalId.NewId().Value);
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("whatever it is");
        await session.ClickAsync("Continue");
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The national ID or password is wrong");
    }

    [Fact]
    public async Task Activation_errors_are_shown_next_to_the_code()
    {
        var letter = await hub.IssueCitizenAsync();
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.GoToAsync("/activate");
        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(letter.NationalId);
        await session.Page.GetByLabel("Activation code", new() { Exact = true }).FillAsync("AAAA-BBBB-CCCC");
        await session.ClickAsync("Continue");

        await Assertions.Expect(session.Page.Locator("#Code-error")).ToContainTextAsync("The national ID or activation code is wrong, or this code can no longer be used.");
        await Assertions.Expect(session.Page.GetByLabel("Activation code", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task A_citizen_signs_in_with_the_keyboard_alone_renames_the_app_and_meets_an_unreachable_step_up()
    {
        var letter = await hub.IssueCitizenAsync();
        await using (var setup = await BrowserSession.OpenAsync(chromium, hub))
        {
            await setup.ActivateAsync(letter, Password);
            await setup.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
            await setup.SignOutAsync();

            var page = setup.Page;
            await setup.GoToAsync("/login");
            await page.GetByLabel("National ID", new() { Exact = true }).FocusAsync();
            await page.Keyboard.TypeAsync(letter.NationalId);
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync(Password);
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync("**/login/verify");
            await setup.CheckPageAsync();
            await page.GetByLabel("6-digit code", new() { Exact = true }).FocusAsync();
            await page.Keyboard.TypeAsync(setup.NextCode(letter.NationalId));
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync("**/account");
            await setup.CheckPageAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Rename Phone" }).ClickAsync();
            await page.WaitForLoadStateAsync();
            await setup.CheckPageAsync();
            await page.GetByLabel("New name", new() { Exact = true }).FillAsync("Old phone");
            await setup.ClickAsync("Save");
            await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("The authenticator was renamed.");
            await Assertions.Expect(page.Locator("#authenticators")).ToContainTextAsync("Old phone");

            // Nothing this citizen has reaches high, so the page does not offer it; asked for anyway, the refusal is a warning.
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Raise this session to level high" })).ToHaveCountAsync(0);
            await setup.GoToAsync("/account/step-up?level=high&returnUrl=/account");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no authenticator accepted for level high");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveClassAsync("panel panel-warning");
        }
    }
}
