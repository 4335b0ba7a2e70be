using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// Issue 9: an ASP.NET Core relying party on Microsoft's OpenID Connect handler (samples/AgencyPortal, the code
/// docs/oidc.md shows) signs a citizen in with password and TOTP in Chromium, and signs out of itself and the hub.
/// The handler checks what it always checks (state, nonce, the ID token's signature against the JWKS, iss, aud, exp);
/// the sample adds the authorization response's iss (RFC 9207), the acr, and private_key_jwt.
/// </summary>
public sealed class AgencyPortalTests(CitizenHubFixture hub, Chromium chromium) : IClassFixture<CitizenHubFixture>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";

    [Fact]
    public async Task A_citizen_signs_in_to_the_ASP_NET_Core_sample_with_password_and_TOTP_and_its_logout_ends_the_hub_session()
    {
        var letter = await hub.IssueCitizenAsync("Žofia");
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.ActivateAsync(letter, Password);
        await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
        await session.SignOutAsync();
        await using var portal = await AgencyPortalHost.StartAsync(hub);

        // The protected page sends the browser to the hub's authorization endpoint, which asks for a login.
        await session.GoToAsync(portal.Url("/account"));
        AssertOnHubLogin(session);
        await LogInAsync(session, letter.NationalId);

        // Back on the portal: the handler redeemed the code with a client assertion and accepted the ID token.
        Assert.Equal(portal.Url("/account"), session.Page.Url);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account");
        Assert.Equal("http://eidas.europa.eu/LoA/substantial", await ClaimAsync(session, "acr"));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", await ClaimAsync(session, "sub"));
        Assert.Equal("Žofia", await ClaimAsync(session, "given_name"));
        Assert.Equal(["mfa", "otp", "pwd"], (await ClaimAsync(session, "amr")).Split(' ').Order(StringComparer.Ordinal).ToArray());
        await Assertions.Expect(session.Page.GetByText("Signed in as Žofia.")).ToBeVisibleAsync();
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "agency-portal-account.png"), FullPage = true });

        // RP-initiated logout: the portal's session ends, the hub's end-session endpoint ends the hub session (the
        // id_token_hint names it, so the hub asks nothing) and sends the browser back to the portal.
        await session.ClickAsync("Sign out");
        Assert.Equal(portal.Url("/signed-out"), session.Page.Url);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You are signed out");

        // Neither session is left: the protected page goes to the hub again, and the hub asks for a login again.
        await session.GoToAsync(portal.Url("/account"));
        AssertOnHubLogin(session);
    }

    private void AssertOnHubLogin(BrowserSession session)
    {
        var url = new Uri(session.Page.Url);
        Assert.Equal(hub.BaseAddress.Authority, url.Authority);
        Assert.Equal("/login", url.AbsolutePath);
    }

    private static async Task LogInAsync(BrowserSession session, string nationalId)
    {
        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(nationalId);
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await session.ClickAsync("Continue");
        Assert.Equal("/login/verify", session.PathNow);
        await session.SecondFactorAsync(nationalId);
    }

    private static async Task<string> ClaimAsync(BrowserSession session, string type) =>
        (await session.Page.Locator("#claim-" + type).InnerTextAsync()).Trim();
}
