using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// The citizen's side in Chromium, every page scanned with axe: activation with the letter's code, TOTP set-up and
/// login (codes computed with Otp.NET), passkeys through the virtual authenticator (CTAP2, internal, resident key, user
/// verification), step-up from substantial to high, a recovery-code login, and signing out another session.
/// </summary>
public sealed class CitizenFlowTests(CitizenHubFixture hub, Chromium chromium) : IClassFixture<CitizenHubFixture>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";

    private async Task<(BrowserSession Session, CitizenLetter Letter, IReadOnlyList<string> RecoveryCodes)> ActivatedAsync()
    {
        var letter = await hub.IssueCitizenAsync("Žofia");
        var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.ActivateAsync(letter, Password);
        var codes = await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
        return (session, letter, codes);
    }

    [Fact]
    public async Task Activation_with_the_letter_then_TOTP_set_up_and_a_password_plus_TOTP_login()
    {
        var (session, letter, codes) = await ActivatedAsync();
        await using (session)
        {
            Assert.Equal(10, codes.Count);
            Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", c));
            await Assertions.Expect(session.Page.Locator("#authenticators")).ToContainTextAsync("Phone");
            await session.SignOutAsync();
            Assert.Equal("/login", session.PathNow);
            await session.CheckPageAsync();

            await session.CitizenSignInAsync(letter.NationalId, Password);

            Assert.Equal("/account", session.PathNow);
            Assert.Equal("substantial", await session.SessionLevelAsync());
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account");
        }
    }

    [Fact]
    public async Task A_passkey_made_with_the_virtual_authenticator_signs_in_alone_from_autofill_and_with_the_button()
    {
        var (session, letter, _) = await ActivatedAsync();
        await using (session)
        {
            await session.GoToAsync("/account/passkey");
            await session.CreatePasskeyAsync("This laptop");
            Assert.Equal("/account", session.PathNow);
            await Assertions.Expect(session.Page.Locator("#message")).ToContainTextAsync("It is accepted for level high");
            await Assertions.Expect(session.Page.Locator("#authenticators")).ToContainTextAsync("This laptop");
            var passkeys = await session.TakePasskeysAsync();
            Assert.Single(passkeys);
            Assert.True(passkeys[0].GetProperty("isResidentCredential").GetBoolean());
            await session.SignOutAsync();
            Assert.Equal("/login", session.PathNow);

            // The button, in another browser holding the same passkey (put in after the page loaded, so autofill stays quiet).
            await using (var other = await BrowserSession.OpenAsync(chromium, hub))
            {
                await other.GoToAsync("/login");
                await other.PutPasskeysAsync(passkeys);
                await other.PasskeyButtonAsync("Sign in with a passkey");
                Assert.Equal("/account", other.PathNow);
                Assert.Equal("high", await other.SessionLevelAsync());
            }

            // Autofill (conditional mediation): the login page asks at once; the virtual authenticator answers as a
            // person picking the passkey from the national-id field's suggestions would.
            await session.PutPasskeysAsync(passkeys);
            await session.Page.GotoAsync("/login");
            await session.Page.WaitForURLAsync("**/account", new() { WaitUntil = WaitUntilState.Load });
            await session.CheckPageAsync();
            Assert.Equal("high", await session.SessionLevelAsync());
            await Assertions.Expect(session.Page.GetByText(letter.NationalId)).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task Step_up_from_substantial_to_high_asks_only_for_the_passkey()
    {
        var (session, letter, _) = await ActivatedAsync();
        await using (session)
        {
            await session.GoToAsync("/account/passkey");
            await session.CreatePasskeyAsync("Security key");
            var passkeys = await session.TakePasskeysAsync();
            await session.SignOutAsync();
            await session.CitizenSignInAsync(letter.NationalId, Password);
            Assert.Equal("substantial", await session.SessionLevelAsync());
            await session.PutPasskeysAsync(passkeys);

            await session.Page.GetByRole(AriaRole.Link, new() { Name = "Raise this session to level high" }).ClickAsync();
            await session.Page.WaitForLoadStateAsync();
            await session.CheckPageAsync();

            Assert.Equal("/login/verify", session.PathNow);
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm it is you again");
            await Assertions.Expect(session.Page.GetByLabel("6-digit code")).ToHaveCountAsync(0);
            await Assertions.Expect(session.Page.GetByLabel("Password")).ToHaveCountAsync(0);
            await session.PasskeyButtonAsync("Use a passkey");
            Assert.Equal("/account", session.PathNow);
            Assert.Equal("high", await session.SessionLevelAsync());
        }
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var (session, letter, codes) = await ActivatedAsync();
        await using (session)
        {
            await session.SignOutAsync();
            await session.CitizenSignInAsync(letter.NationalId, Password, secondFactor: false);
            Assert.Equal("/login/verify", session.PathNow);
            await session.Page.GetByRole(AriaRole.Link, new() { Name = "Use a recovery code" }).ClickAsync();
            await session.Page.WaitForLoadStateAsync();
            await session.CheckPageAsync();
            await session.Page.GetByLabel("Recovery code", new() { Exact = true }).FillAsync(codes[3].ToLowerInvariant());
            await session.ClickAsync("Continue");

            Assert.Equal("/account", session.PathNow);
            await Assertions.Expect(session.Page.Locator("#message")).ToContainTextAsync("You signed in with a recovery code");
            await Assertions.Expect(session.Page.GetByText("You have 9 unused recovery codes.")).ToBeVisibleAsync();

            await session.SignOutAsync();
            await session.CitizenSignInAsync(letter.NationalId, Password, secondFactor: false);
            await session.GoToAsync("/login/recovery-code");
            await session.Page.GetByLabel("Recovery code", new() { Exact = true }).FillAsync(codes[3]);
            await session.ClickAsync("Continue");
            Assert.Equal("/login/recovery-code", session.PathNow);
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This recovery code is wrong or was used already.");
        }
    }

    [Fact]
    public async Task Signing_out_another_session_ends_it_in_the_other_browser()
    {
        var (laptop, letter, _) = await ActivatedAsync();
        await using (laptop)
        {
            await using var phone = await BrowserSession.OpenAsync(chromium, hub);
            // The phone has the same authenticator app: it knows the secret the laptop session set up.
            phone.ShareTotpWith(laptop, letter.NationalId);
            await phone.CitizenSignInAsync(letter.NationalId, Password);
            Assert.Equal("/account", phone.PathNow);

            await laptop.GoToAsync("/account");
            await Assertions.Expect(laptop.Page.Locator("#sessions tbody tr")).ToHaveCountAsync(2);
            await laptop.Page.Locator("#sessions tbody tr").Filter(new() { HasNot = laptop.Page.GetByText("(this session)") })
                .GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sign out") }).ClickAsync();
            await laptop.Page.WaitForLoadStateAsync();
            await laptop.CheckPageAsync();
            await Assertions.Expect(laptop.Page.Locator("#message")).ToContainTextAsync("That session is signed out.");
            await Assertions.Expect(laptop.Page.Locator("#sessions tbody tr")).ToHaveCountAsync(1);

            await phone.GoToAsync("/account");
            Assert.Equal("/login", phone.PathNow);
        }
    }
}
