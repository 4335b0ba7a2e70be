using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Letters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// Account recovery in Chromium, every page scanned with axe: from the sign-in page to /recover with a letter printed
/// at a counter, a wrong code first, then the right one; the set-up of a new authenticator app; a sign-in with the new
/// password and app; and asking for a letter by post.
/// </summary>
public sealed class RecoveryFlowTests(CitizenHubFixture hub, Chromium chromium) : IClassFixture<CitizenHubFixture>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";
    private const string NewPassword = "lanterns hum beneath the old bridge";

    [Fact]
    public async Task A_citizen_recovers_with_a_letter_sets_up_a_new_app_and_signs_in_with_the_new_password()
    {
        var letter = await hub.IssueCitizenAsync("Žofia");
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.ActivateAsync(letter, Password);
        await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
        await session.SignOutAsync();
        var code = await PrintLetterAsync(letter.NationalId);

        await session.GoToAsync("/login");
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "Recover your account." }).ClickAsync();
        await session.Page.WaitForLoadStateAsync();
        await session.CheckPageAsync();
        Assert.Equal("/recover", session.PathNow);
        await Screenshot(session, "recover");

        await FillAsync(session, letter.NationalId, "AAAA-BBBB-CCCC");
        await session.ClickAsync("Recover account");
        Assert.Equal("/recover", session.PathNow);
        await Assertions.Expect(session.Page.Locator(".error-summary")).ToContainTextAsync("The national ID or recovery code is wrong");
        await Screenshot(session, "recover-refused");

        await FillAsync(session, letter.NationalId, code.ToLowerInvariant());
        await session.ClickAsync("Recover account");
        Assert.Equal("/account/setup", session.PathNow);
        await Screenshot(session, "recover-setup");
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "Use an authenticator app" }).ClickAsync();
        await session.Page.WaitForLoadStateAsync();
        await session.CheckPageAsync();
        await session.SetUpTotpAsync(letter.NationalId, "New phone");
        await session.GoToAsync("/account");
        await Assertions.Expect(session.Page.Locator("#notices")).ToContainTextAsync("Your account was recovered with a recovery letter");
        await Assertions.Expect(session.Page.Locator("#authenticators")).ToContainTextAsync("New phone");
        await Assertions.Expect(session.Page.Locator("#authenticators").GetByText("Phone", new() { Exact = true })).ToHaveCountAsync(0);
        await Screenshot(session, "recover-account");
        await session.SignOutAsync();

        await session.CitizenSignInAsync(letter.NationalId, NewPassword);
        Assert.Equal("/account", session.PathNow);
        Assert.Equal("substantial", await session.SessionLevelAsync());
    }

    [Fact]
    public async Task Asking_for_a_letter_by_post_answers_without_saying_whether_the_national_id_is_known()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.GoToAsync("/recover");
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "ask for a letter by post." }).ClickAsync();
        await session.Page.WaitForLoadStateAsync();
        await session.CheckPageAsync();
        Assert.Equal("/recover/request", session.PathNow);
        await Screenshot(session, "request");

        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(Core.Identity.NationalId.NewId().Value);
        await session.ClickAsync("Ask for a letter");

        await Assertions.Expect(session.Page.Locator("#request-answer")).ToContainTextAsync("If this national ID has an eID account and a registered postal address");
        await Screenshot(session, "request-sent");
    }

    [Fact]
    public async Task An_officer_prints_a_recovery_letter_from_the_person_page_after_ticking_the_identity_check()
    {
        var letter = await hub.IssueCitizenAsync("Žofia");
        await using (var citizen = await BrowserSession.OpenAsync(chromium, hub))
        {
            await citizen.ActivateAsync(letter, Password);
        }

        var officer = await hub.CreateCounterStaffAsync("rf.officer." + Guid.NewGuid().ToString("N")[..6], StaffRoles.Officer, Citizens.ServicePoint);
        Guid personId;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HubDbContext>();
            personId = db.Persons.Where(p => p.NationalId == letter.NationalId).Select(p => p.Id).Single();
        }

        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.GoToAsync("/console/sign-in");
        await session.Page.GetByLabel("Username", new() { Exact = true }).FillAsync(officer.UserName);
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(officer.Password);
        await session.ClickAsync("Sign in");
        await session.Page.GetByRole(AriaRole.Textbox).First.FillAsync(officer.NextCode());
        await session.ClickAsync("Continue");
        await session.GoToAsync($"/console/persons/{personId}");
        await Screenshot(session, "console-person");

        await session.ClickAsync("Print recovery letter (PDF)");
        await Assertions.Expect(session.Page.Locator(".error-summary")).ToContainTextAsync("Confirm that you checked the person's identity document");
        await Screenshot(session, "console-person-unchecked");

        await session.Page.GetByLabel("I checked the identity document of the person in front of me: it is this person.").CheckAsync();
        var download = await session.Page.RunAndWaitForDownloadAsync(() =>
            session.Page.GetByRole(AriaRole.Button, new() { Name = "Print recovery letter (PDF)", Exact = true }).ClickAsync());
        Assert.Equal("recovery-letter.pdf", download.SuggestedFilename);
    }

    private async Task<string> PrintLetterAsync(string nationalId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var printed = await scope.ServiceProvider.GetRequiredService<RecoveryLetters>().PrintAtCounterAsync(
            nationalId, true, new StaffActor("test-officer", new HashSet<string> { StaffRoles.Officer }), CancellationToken.None);
        Assert.True(printed.Succeeded);
        return printed.Value!.Code;
    }

    private static async Task FillAsync(BrowserSession session, string nationalId, string code)
    {
        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(nationalId);
        await session.Page.GetByLabel("Recovery code", new() { Exact = true }).FillAsync(code);
        await session.Page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await session.Page.GetByLabel("Confirm your password", new() { Exact = true }).FillAsync(NewPassword);
    }

    /// <summary>With HUB_SCREENSHOTS set to a directory, saves the page for a person to look at.</summary>
    private static async Task Screenshot(BrowserSession session, string name)
    {
        if (Environment.GetEnvironmentVariable("HUB_SCREENSHOTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await session.Page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png"), FullPage = true });
        }
    }
}
