using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// Chromium's virtual authenticator made to lie (DevTools WebAuthn.setResponseOverrideBits): the
/// hub refuses each answer with a clear message on the page and an audit entry naming why.
/// </summary>
public sealed class HostileAuthenticatorTests(CitizenHubFixture hub, Chromium chromium) : IClassFixture<CitizenHubFixture>, IClassFixture<Chromium>
{
    private const string Password = "copper kettles hum at dawn";

    /// <summary>
    /// An activated citizen with a TOTP app and a passkey; the passkey is out of the authenticator (see TakePasskeysAsync)
    /// and put back on the second-factor page, which (unlike the login page) does not ask through autofill.
    /// </summary>
    private async Task<(BrowserSession Session, CitizenLetter Letter, IReadOnlyList<System.Text.Json.JsonElement> Passkeys)> CitizenAsync()
    {
        var letter = await hub.IssueCitizenAsync();
        var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.ActivateAsync(letter, Password);
        await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
        await session.GoToAsync("/account/passkey");
        await session.CreatePasskeyAsync("Laptop");
        var passkeys = await session.TakePasskeysAsync();
        await session.SignOutAsync();
        return (session, letter, passkeys);
    }

    private async Task<string> LastFailureAsync(string nationalId, string type)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Subject == nationalId && e.Type == type).OrderByDescending(e => e.Sequence).Select(e => e.Details).FirstAsync();
    }

    [Fact]
    public async Task An_answer_with_the_user_presence_bit_cleared_is_refused()
    {
        var (session, letter, passkeys) = await CitizenAsync();
        await using (session)
        {
            await session.CitizenSignInAsync(letter.NationalId, Password, secondFactor: false);
            await session.PutPasskeysAsync(passkeys);
            await session.Authenticator.SetResponseOverrideBitsAsync(badUserPresence: true);

            await session.PasskeyButtonAsync("Use a passkey");

            Assert.Equal("/login/verify", session.PathNow);
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("could not be verified");
            Assert.Contains("UserPresent", await LastFailureAsync(letter.NationalId, "auth.passkey.assertion-failed"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_bogus_signature_is_refused()
    {
        var (session, letter, passkeys) = await CitizenAsync();
        await using (session)
        {
            await session.CitizenSignInAsync(letter.NationalId, Password, secondFactor: false);
            await session.PutPasskeysAsync(passkeys);
            await session.Authenticator.SetResponseOverrideBitsAsync(bogusSignature: true);

            await session.PasskeyButtonAsync("Use a passkey");

            Assert.Equal("/login/verify", session.PathNow);
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("could not be verified");
            Assert.Contains("signature", await LastFailureAsync(letter.NationalId, "auth.passkey.assertion-failed"), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_passkey_that_does_not_verify_the_user_cannot_reach_level_high()
    {
        var (session, letter, passkeys) = await CitizenAsync();
        await using (session)
        {
            await session.CitizenSignInAsync(letter.NationalId, Password, "?level=high", secondFactor: false);
            Assert.Equal("/login/verify", session.PathNow);
            await session.PutPasskeysAsync(passkeys);
            // The authenticator answers, but with the UV flag cleared (a real one that could not verify would not answer).
            await session.Authenticator.SetResponseOverrideBitsAsync(badUserVerification: true);

            await session.PasskeyButtonAsync("Use a passkey");

            Assert.Equal("/login/verify", session.PathNow);
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("did not confirm it is you");
            Assert.Contains("user-verification-missing", await LastFailureAsync(letter.NationalId, "auth.passkey.assertion-failed"), StringComparison.Ordinal);
        }
    }
}
