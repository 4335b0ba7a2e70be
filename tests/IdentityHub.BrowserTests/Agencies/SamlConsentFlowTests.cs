using System.Text;
using IdentityHub.Saml.Providers;
using IdentityHub.Testing.Saml;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Agencies;

/// <summary>
/// SAML consent in Chromium (docs/saml.md "Consent"): node-saml's SP, which is not a government service, sends the
/// citizen to the hub; after the login the hub's consent page names the agency and each attribute (axe-checked, no
/// CSP violation); Allow leads through the answer page to the SP's ACS, and node-saml accepts the answer; the portal
/// lists the consent beside the OpenID ones and withdraws it.
/// </summary>
public sealed class SamlConsentFlowTests(AgencyHubFixture hub, AgencySite site, Chromium chromium)
    : IClassFixture<AgencyHubFixture>, IClassFixture<AgencySite>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";

    [Fact]
    public async Task A_citizen_allows_an_SP_on_the_consent_page_node_saml_accepts_the_answer_and_the_portal_withdraws_it()
    {
        var letter = await hub.IssueCitizenAsync("Žofia");
        var session = await BrowserSession.OpenAsync(chromium, hub);
        await using (session)
        {
            await session.ActivateAsync(letter, Password);
            await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
            await session.SignOutAsync();

            using var http = new HttpClient { BaseAddress = hub.Issuer };
            var idpCertificate = IdpMetadata.SigningCertificate(await http.GetStringAsync("/saml/metadata")).ExportCertificatePem();
            var keys = SpKeys.Create("Land registry SP");
            var acs = new Uri(site.BaseAddress, "/land/saml/acs").ToString();
            var sp = NodeSamlSp.Sp(hub.Issuer, $"https://land-{Guid.NewGuid():N}.registry.example/saml", acs, idpCertificate, keys.PrivateKeyPem, keys.CertificatePem);
            var metadata = (await NodeSamlSp.RunAsync("metadata", NodeSamlSp.Input(sp))).Ok()["metadata"]!.GetValue<string>();
            await using (var scope = hub.App.Services.CreateAsyncScope())
            {
                var (_, problem) = await scope.ServiceProvider.GetRequiredService<ServiceProviders>().AddAsync(new ServiceProviderSpec
                {
                    Metadata = Encoding.UTF8.GetBytes(metadata),
                    DisplayName = "Land registry",
                    GovernmentService = false,
                }, "tests", CancellationToken.None);
                Assert.True(problem is null, problem);
            }

            var request = (await NodeSamlSp.RunAsync("login-request", NodeSamlSp.Input(sp, ("relayState", "parcel-7841")))).Ok();
            await session.GoToAsync(request["url"]!.GetValue<string>());
            Assert.Equal("/login", session.PathNow);
            await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(letter.NationalId);
            await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
            await session.ClickAsync("Continue");
            Assert.Equal("/login/verify", session.PathNow);
            await session.Page.GetByLabel("6-digit code", new() { Exact = true }).FillAsync(session.NextCode(letter.NationalId));
            await session.ClickAsync("Continue");

            Assert.StartsWith("/consent/saml/", session.PathNow, StringComparison.Ordinal);
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Allow Land registry to receive your details?");
            await Assertions.Expect(session.Page.Locator("#consent-attributes li")).ToHaveTextAsync(
                ["A number that identifies you to this service only, and how you signed in", "Your given names", "Your family name", "Your date of birth"]);
            await Screenshot(session, "saml-consent");

            // Allow, then the hub's answer page submits itself to the SP's ACS.
            var posted = await session.Page.RunAndWaitForRequestAsync(
                () => session.Page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync(),
                r => r.Method == "POST" && r.Url == acs, new() { Timeout = 30_000 });
            await session.Page.WaitForURLAsync(acs, new() { WaitUntil = WaitUntilState.Load });
            await session.CheckPageAsync(); // no CSP violation on the way
            var form = QueryHelpers.ParseQuery(posted.PostData!);
            var profile = (await NodeSamlSp.RunAsync("validate-response", NodeSamlSp.Input(sp,
                ("samlResponse", form["SAMLResponse"].ToString()),
                ("relayState", "parcel-7841"),
                ("requestIds", NodeSamlSp.RequestIds(request["requestId"]!.GetValue<string>()))))).Ok()["profile"]!.AsObject();
            Assert.Equal("http://eidas.europa.eu/LoA/substantial", profile["authnContextClassRef"]!.GetValue<string>());

            await session.GoToAsync("/account/consents");
            await Assertions.Expect(session.Page.Locator("#consents")).ToContainTextAsync("Land registry");
            await Assertions.Expect(session.Page.Locator("#consents")).ToContainTextAsync("Your date of birth");
            await Screenshot(session, "saml-consents");
            await session.ClickAsync("Withdraw Land registry");
            await Assertions.Expect(session.Page.Locator("#message")).ToContainTextAsync("You withdrew the permission of Land registry.");
            await Assertions.Expect(session.Page.Locator("#consents-none")).ToBeVisibleAsync();
        }
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
