using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using IdentityHub.Saml.Providers;
using IdentityHub.Testing.Saml;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Agencies;

/// <summary>
/// Issue 11's browser path: npm's @node-saml/node-saml as an agency's SP (idpCert pinned, audience set, both signatures
/// required, validateInResponseTo "always") sends Debian's Chromium to the hub; the citizen signs in with a password and a
/// TOTP code; the hub's answer page posts the signed, encrypted Response to the SP's ACS by itself, within the hub's
/// Content-Security-Policy; node-saml accepts it. Then single sign-on across SPs and step-up to high with the passkey alone.
/// </summary>
public sealed class SamlFlowTests(AgencyHubFixture hub, AgencySite site, Chromium chromium)
    : IClassFixture<AgencyHubFixture>, IClassFixture<AgencySite>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";
    private const string Substantial = "http://eidas.europa.eu/LoA/substantial";
    private const string High = "http://eidas.europa.eu/LoA/high";

    [Fact]
    public async Task Node_saml_sends_the_citizen_through_Chromium_to_sign_in_and_accepts_the_answer_the_browser_posts_back()
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
                    GovernmentService = true,
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

            // The hub's answer page submits itself (its own script, no inline code) to the SP's ACS.
            var posted = await session.Page.RunAndWaitForRequestAsync(
                () => session.Page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync(),
                r => r.Method == "POST" && r.Url == acs, new() { Timeout = 30_000 });
            await session.Page.WaitForURLAsync(acs, new() { WaitUntil = WaitUntilState.Load });
            await session.CheckPageAsync(); // no CSP violation on the way (a form-action refusal would show here)

            var form = QueryHelpers.ParseQuery(posted.PostData!);
            Assert.Equal("parcel-7841", form["RelayState"].ToString());
            var profile = (await NodeSamlSp.RunAsync("validate-response", NodeSamlSp.Input(sp,
                ("samlResponse", form["SAMLResponse"].ToString()),
                ("relayState", "parcel-7841"),
                ("requestIds", NodeSamlSp.RequestIds(request["requestId"]!.GetValue<string>()))))).Ok()["profile"]!.AsObject();
            Assert.Equal("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", profile["nameIDFormat"]!.GetValue<string>());
            Assert.True(profile["assertionEncrypted"]!.GetValue<bool>());
            Assert.Equal("http://eidas.europa.eu/LoA/substantial", profile["authnContextClassRef"]!.GetValue<string>());
            Assert.Contains("Žofia", profile.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task After_a_substantial_login_a_second_SP_is_served_without_a_page_and_a_request_for_exact_high_steps_up_with_only_the_passkey()
    {
        var letter = await hub.IssueCitizenAsync("Žofia");
        var session = await BrowserSession.OpenAsync(chromium, hub);
        await using (session)
        {
            await session.ActivateAsync(letter, Password);
            await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
            await session.GoToAsync("/account/passkey");
            await session.CreatePasskeyAsync("Security key");
            Assert.Equal("/account", session.PathNow);
            await Assertions.Expect(session.Page.Locator("#message")).ToContainTextAsync("It is accepted for level high");
            // Out of the authenticator until the step-up: Chromium's virtual authenticator would answer the login page's
            // conditional (autofill) request by itself and sign the citizen in at high straight away.
            var passkeys = await session.TakePasskeysAsync();
            Assert.Single(passkeys);
            await session.SignOutAsync();

            var landAcs = new Uri(site.BaseAddress, "/land/saml/acs").ToString();
            var taxAcs = new Uri(site.BaseAddress, "/tax/saml/acs").ToString();
            var land = await NodeSamlOnHub.RegisterAsync(hub.App.Services, hub.Issuer, landAcs, requested: [Substantial], comparison: "minimum");
            var tax = await NodeSamlOnHub.RegisterAsync(hub.App.Services, hub.Issuer, taxAcs, requested: [Substantial], comparison: "minimum");
            Assert.NotEqual(land.Sector, tax.Sector);

            // The land registry at substantial: the login page, password and TOTP.
            var (toLand, landRequest) = await LoginRequestAsync(land);
            await session.GoToAsync(toLand);
            Assert.Equal("/login", session.PathNow);
            await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(letter.NationalId);
            await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
            await session.ClickAsync("Continue");
            Assert.Equal("/login/verify", session.PathNow);
            await session.Page.GetByLabel("6-digit code", new() { Exact = true }).FillAsync(session.NextCode(letter.NationalId));
            var substantial = await PostedToAsync(session, landAcs, () => session.Page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync());
            var landProfile = await NodeSamlOnHub.ValidateAsync(land, substantial, landRequest);
            Assert.Equal(Substantial, landProfile["authnContextClassRef"]!.GetValue<string>());

            // The tax office, another sector, in the same browser: answered from the hub session, no hub page on the way.
            var navigations = new ConcurrentQueue<Uri>();
            session.Page.Request += (_, request) =>
            {
                if (request.IsNavigationRequest)
                {
                    navigations.Enqueue(new Uri(request.Url));
                }
            };
            var (toTax, taxRequest) = await LoginRequestAsync(tax);
            var taxAnswer = await PostedToAsync(session, taxAcs, () => session.Page.GotoAsync(toTax, new() { WaitUntil = WaitUntilState.Commit }));
            var hubPaths = navigations.Where(u => u.Authority == hub.Issuer.Authority).Select(u => u.AbsolutePath).ToList();
            Assert.Equal(2, hubPaths.Count);
            Assert.Equal("/saml/sso", hubPaths[0]);
            Assert.StartsWith("/saml/sso/continue/", hubPaths[1], StringComparison.Ordinal);
            var taxProfile = await NodeSamlOnHub.ValidateAsync(tax, taxAnswer, taxRequest);
            Assert.Equal(Substantial, taxProfile["authnContextClassRef"]!.GetValue<string>());
            Assert.NotEqual(landProfile["nameID"]!.GetValue<string>(), taxProfile["nameID"]!.GetValue<string>()); // pairwise per sector
            Assert.Equal(landProfile["authnInstant"]!.GetValue<string>(), taxProfile["authnInstant"]!.GetValue<string>()); // the one login

            // The land registry asks for exactly high: the substantial session is stepped up with the passkey alone.
            await session.PutPasskeysAsync(passkeys);
            var landHigh = land with { Config = land.Config.With(("requestedAuthnContext", new JsonArray(High)), ("racComparison", "exact")) };
            var (toHigh, highRequest) = await LoginRequestAsync(landHigh);
            await session.GoToAsync(toHigh);
            Assert.Equal("/login/verify", session.PathNow);
            await ScreenshotAsync(session, "saml-step-up.png");
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Confirm it is you again");
            await Assertions.Expect(session.Page.GetByLabel("Password")).ToHaveCountAsync(0);
            await Assertions.Expect(session.Page.GetByLabel("National ID")).ToHaveCountAsync(0);
            await Assertions.Expect(session.Page.GetByLabel("6-digit code")).ToHaveCountAsync(0);
            var high = await PostedToAsync(session, landAcs, () => session.Page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey", Exact = true }).ClickAsync());
            var highProfile = await NodeSamlOnHub.ValidateAsync(landHigh, high, highRequest);
            Assert.Equal(High, highProfile["authnContextClassRef"]!.GetValue<string>());
            Assert.Equal(landProfile["nameID"]!.GetValue<string>(), highProfile["nameID"]!.GetValue<string>());
            Assert.Equal(landProfile["sessionIndex"]!.GetValue<string>(), highProfile["sessionIndex"]!.GetValue<string>()); // the same hub session
        }
    }

    private static async Task<(string Url, string RequestId)> LoginRequestAsync(RegisteredNodeSamlSp sp)
    {
        var request = (await NodeSamlSp.RunAsync("login-request", NodeSamlSp.Input(sp.Config))).Ok();
        return (request["url"]!.GetValue<string>(), request["requestId"]!.GetValue<string>());
    }

    /// <summary>
    /// Runs <paramref name="action"/> and catches the POST the hub's answer page makes to <paramref name="acs"/> by itself;
    /// then checks that no page on the way broke the Content-Security-Policy (a form-action refusal would show there).
    /// </summary>
    private static async Task<PostedAnswer> PostedToAsync(BrowserSession session, string acs, Func<Task> action)
    {
        IRequest posted;
        try
        {
            posted = await session.Page.RunAndWaitForRequestAsync(action, r => r.Method == "POST" && r.Url == acs, new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No answer was posted to {acs}; the browser is at {session.Page.Url}: {await session.Page.Locator("body").InnerTextAsync()}");
            throw;
        }

        await session.Page.WaitForURLAsync(acs, new() { WaitUntil = WaitUntilState.Load });
        await session.CheckPageAsync();
        var form = QueryHelpers.ParseQuery(posted.PostData!);
        return new PostedAnswer(form["SAMLResponse"].ToString(), form.TryGetValue("RelayState", out var relay) ? relay.ToString() : null);
    }

    /// <summary>With IDENTITYHUB_SCREENSHOTS set to a folder, keeps a picture of the page for a person to look at.</summary>
    private static async Task ScreenshotAsync(BrowserSession session, string name)
    {
        if (Environment.GetEnvironmentVariable("IDENTITYHUB_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await session.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
        }
    }
}
