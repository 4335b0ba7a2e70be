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
/// Content-Security-Policy; node-saml accepts it.
/// </summary>
public sealed class SamlFlowTests(AgencyHubFixture hub, AgencySite site, Chromium chromium)
    : IClassFixture<AgencyHubFixture>, IClassFixture<AgencySite>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";

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
}
