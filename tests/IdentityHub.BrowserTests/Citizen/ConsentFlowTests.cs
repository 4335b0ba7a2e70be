using System.Security.Cryptography;
using System.Text;
using IdentityHub.Oidc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// Consent in Chromium, every hub page scanned with axe and watched for CSP violations: an agency's authorization
/// request, the login, the consent page, Allow, and the browser back at the agency's redirect URI on another origin
/// (which the page's form-action must allow through the redirects); then the consent in the portal, withdrawn.
/// </summary>
public sealed class ConsentFlowTests(CitizenHubFixture hub, Chromium chromium) : IClassFixture<CitizenHubFixture>, IClassFixture<Chromium>
{
    private const string Password = "copper kettles sing at the harbour";
    private const string Callback = "http://127.0.0.1:9/callback";

    [Fact]
    public async Task A_citizen_logs_in_for_an_agency_allows_it_comes_back_to_it_and_withdraws_the_consent_in_the_portal()
    {
        var letter = await hub.IssueCitizenAsync();
        var clientId = "tax-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var registered = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
            {
                ClientId = clientId,
                DisplayName = "Tax Agency",
                RedirectUris = [Callback],
                Scopes = [OidcScopes.Profile, OidcScopes.OfflineAccess],
            }, "tests", CancellationToken.None);
            Assert.True(registered.Succeeded, registered.Problem);
        }

        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.ActivateAsync(letter, Password);
        await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
        await session.SignOutAsync();
        // The agency's site, on another origin than the hub.
        await session.Page.RouteAsync(Callback + "**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = "<!DOCTYPE html><html lang=\"en\"><head><title>Tax Agency</title></head><body><main><h1>Tax Agency</h1></main></body></html>",
        }));

        var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var verifier = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        await session.GoToAsync(QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["redirect_uri"] = Callback, ["response_type"] = "code", ["scope"] = "openid profile offline_access",
            ["state"] = state, ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        }));
        Assert.Equal("/login", session.PathNow);
        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(letter.NationalId);
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await session.ClickAsync("Continue");
        await session.SecondFactorAsync(letter.NationalId);

        Assert.Equal("/consent", session.PathNow);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Allow Tax Agency to receive your details?");
        await Assertions.Expect(session.Page.Locator("#consent-attributes li")).ToHaveTextAsync(
            ["A number that identifies you to this service only, and how you signed in", "Your given names", "Your family name", "Your date of birth",
             "Stay signed in: the service may keep using these details while your IdentityHub sign-in lasts"]);
        await Screenshot(session, "consent");

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();
        await session.Page.WaitForURLAsync(Callback + "?**");
        var back = QueryHelpers.ParseQuery(new Uri(session.Page.Url).Query);
        Assert.Equal(state, back["state"].ToString());
        Assert.False(string.IsNullOrEmpty(back["code"]));
        await session.CheckPageAsync();

        await session.GoToAsync("/account");
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "See and withdraw what services receive about you" }).ClickAsync();
        await session.Page.WaitForURLAsync("**/account/consents");
        await session.CheckPageAsync();
        await Assertions.Expect(session.Page.Locator("#consents")).ToContainTextAsync("Tax Agency");
        await Assertions.Expect(session.Page.Locator("#consents")).ToContainTextAsync("Your date of birth");
        await Screenshot(session, "consents");
        await session.ClickAsync("Withdraw Tax Agency");
        await Assertions.Expect(session.Page.Locator("#message")).ToContainTextAsync("You withdrew the permission of Tax Agency.");
        await Assertions.Expect(session.Page.Locator("#consents-none")).ToBeVisibleAsync();
        await Screenshot(session, "consents-withdrawn");
    }

    private static async Task Screenshot(BrowserSession session, string name)
    {
        if (Environment.GetEnvironmentVariable("HUB_SCREENSHOTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await session.Page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png"), FullPage = true });
        }
    }
}
