using System.Text;
using IdentityHub.Data;
using IdentityHub.Testing.Saml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>
/// The admin's SAML service provider pages in Chromium, each scanned with axe: register an SP by uploading its metadata
/// (a refusal first, shown on the form with what was entered kept), its detail page (endpoints, certificates), a
/// changed setting, a refreshed metadata file, disable and enable, removal after a confirmation page; each step
/// audited with the admin's name. A staff member who is not an admin is refused. HUB_SCREENSHOT_DIR keeps screenshots
/// of the list, the registration form and the detail page.
/// </summary>
public sealed class ServiceProviderConsoleTests(HubFixture hub, Chromium chromium) : IClassFixture<HubFixture>, IClassFixture<Chromium>
{
    [Fact]
    public async Task An_admin_registers_an_SP_from_its_metadata_changes_it_disables_enables_and_removes_it()
    {
        var adminName = "sina" + Guid.NewGuid().ToString("N")[..5];
        var entityId = $"https://land-{Guid.NewGuid():N}"[..22] + ".agency.test/saml";
        var password = await hub.CreateStaffAsync(adminName, "admin");
        await using var admin = await BrowserSession.OpenAsync(chromium, hub);
        await admin.SignInAsync(adminName, password);
        await admin.ChangePasswordAsync(password, "ferns and copper lanterns");
        var page = admin.Page;

        await admin.GoToAsync("/console");
        await admin.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "SAML service providers", Exact = true }));
        await admin.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Register a service provider", Exact = true }));
        Assert.Equal("/console/service-providers/new", admin.PathNow);
        // The registry's defaults: persistent NameID, every attribute, signed requests, encryption when possible.
        await Assertions.Expect(page.GetByLabel("Persistent", new() { Exact = false })).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Encrypt assertions when the metadata has an encryption key")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("DateOfBirth", new() { Exact = false })).ToBeCheckedAsync();

        // The national identifier without the entitlement: refused by the registry, shown on the form, entries kept.
        await page.GetByLabel("Metadata file", new() { Exact = true }).SetInputFilesAsync(Upload("land.xml", entityId, "https://land.agency.test/saml/acs"));
        await page.GetByLabel("Agency name", new() { Exact = true }).FillAsync("Land registry");
        await page.GetByLabel("National identifier (only for an agency entitled to it by law)", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Minimum level of assurance", new() { Exact = true }).SelectOptionAsync("high");
        await admin.ClickAsync("Register service provider");
        Assert.StartsWith("Error: ", await page.TitleAsync(), StringComparison.Ordinal);
        var link = page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link, new() { Name = "The national identifier as NameID is for an agency entitled", Exact = false });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", "#NameIdFormat");
        await Assertions.Expect(page.GetByLabel("Agency name", new() { Exact = true })).ToHaveValueAsync("Land registry");
        await Assertions.Expect(page.GetByLabel("Minimum level of assurance", new() { Exact = true })).ToHaveValueAsync("high");
        await Screenshot(page, "service-provider-new");

        await page.GetByLabel("Persistent", new() { Exact = false }).CheckAsync();
        await page.GetByLabel("Metadata file", new() { Exact = true }).SetInputFilesAsync(Upload("land.xml", entityId, "https://land.agency.test/saml/acs"));
        await admin.ClickAsync("Register service provider");
        Assert.Equal("/console/service-providers/provider", admin.PathNow);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"The service provider {entityId} is registered and enabled.");
        await Assertions.Expect(page.Locator("#entity-id")).ToHaveTextAsync(entityId);
        await Assertions.Expect(page.Locator("#metadata-source")).ToHaveTextAsync("uploaded file land.xml");
        await Assertions.Expect(page.Locator("#minimum-level")).ToHaveTextAsync("high");
        await Assertions.Expect(page.Locator("#encryption")).ToHaveTextAsync("encrypted");
        await Assertions.Expect(page.Locator("#acs")).ToContainTextAsync("https://land.agency.test/saml/acs");
        await Assertions.Expect(page.Locator("#slo")).ToContainTextAsync("https://land.agency.test/saml/slo");
        await Assertions.Expect(page.Locator("#certificates tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#certificates")).ToContainTextAsync("CN=Land registry signing");
        await Assertions.Expect(page.Locator("#certificates")).ToContainTextAsync("CN=Land registry encryption");
        await Screenshot(page, "service-provider");

        await admin.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Change the settings of Land registry" }));
        await Assertions.Expect(page.GetByLabel("Agency name", new() { Exact = true })).ToHaveValueAsync("Land registry");
        await page.GetByLabel("DateOfBirth", new() { Exact = false }).UncheckAsync();
        await page.GetByLabel("Minimum level of assurance", new() { Exact = true }).SelectOptionAsync("substantial");
        await admin.ClickAsync("Save changes");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The settings are saved.");
        await Assertions.Expect(page.Locator("#minimum-level")).ToHaveTextAsync("substantial");
        await Assertions.Expect(page.Locator("#attributes")).ToHaveTextAsync("PersonIdentifier, CurrentFamilyName, CurrentGivenName");

        await admin.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Refresh the metadata of Land registry" }));
        await page.GetByLabel("Metadata file", new() { Exact = true }).SetInputFilesAsync(Upload("land-2.xml", entityId, "https://land.agency.test/saml/acs2"));
        await admin.ClickAsync("Refresh the metadata");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The metadata is refreshed. Changed: assertion consumer services");
        await Assertions.Expect(page.Locator("#acs")).ToContainTextAsync("https://land.agency.test/saml/acs2");
        await Assertions.Expect(page.Locator("#metadata-source")).ToHaveTextAsync("uploaded file land-2.xml");

        await admin.ClickAsync("Disable Land registry");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("disabled");
        await admin.ClickAsync("Enable Land registry");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("enabled");

        await admin.GoToAsync("/console/service-providers");
        var row = page.Locator($"tr[data-entity-id=\"{entityId}\"]");
        await Assertions.Expect(row).ToContainTextAsync("Land registry");
        await Assertions.Expect(row).ToContainTextAsync("enabled");
        await Assertions.Expect(row).ToContainTextAsync("substantial");
        await Screenshot(page, "service-providers");

        await admin.FollowAsync(row.GetByRole(AriaRole.Link, new() { Name = "Land registry", Exact = true }));
        await admin.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Remove Land registry", Exact = true }));
        await Assertions.Expect(page.Locator("#confirm-consequences")).ToContainTextAsync("must be registered anew");
        await admin.ClickAsync("Yes, remove Land registry");
        Assert.Equal("/console/service-providers", admin.PathNow);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"The service provider Land registry ({entityId}) is removed.");
        await Assertions.Expect(row).ToHaveCountAsync(0);

        await using var scope = hub.App.Services.CreateAsyncScope();
        var events = await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEvents
            .Where(e => e.Subject == entityId).OrderBy(e => e.Sequence).Select(e => new { e.Type, e.Actor }).ToListAsync();
        Assert.Equal(["saml.sp.added", "saml.sp.updated", "saml.sp.metadata-refreshed", "saml.sp.disabled", "saml.sp.enabled", "saml.sp.removed"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(adminName, e.Actor));
    }

    [Fact]
    public async Task A_staff_member_who_is_not_an_admin_is_refused()
    {
        var officerName = "odile" + Guid.NewGuid().ToString("N")[..5];
        var password = await hub.CreateStaffAsync(officerName, "officer");
        await using var officer = await BrowserSession.OpenAsync(chromium, hub);
        await officer.SignInAsync(officerName, password);
        await officer.ChangePasswordAsync(password, "seven orange umbrellas sing");
        await officer.GoToAsync("/console");
        await Assertions.Expect(officer.Page.GetByRole(AriaRole.Link, new() { Name = "SAML service providers" })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/console/service-providers", "/console/service-providers/new" })
        {
            var denied = await officer.GoToAsync(path);
            Assert.Equal(403, denied!.Status);
            Assert.Equal("/console/access-denied", officer.PathNow);
        }
    }

    /// <summary>SP metadata as SP software writes it: a signing and an encryption certificate, an HTTP-POST ACS, an SLO endpoint.</summary>
    private static FilePayload Upload(string name, string entityId, string acs)
    {
        static string Certificate(string subject) =>
            string.Concat(SpKeys.Create(subject).CertificatePem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));

        var xml = $"""
            <?xml version="1.0"?>
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entityId}">
              <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
                <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Certificate("Land registry signing")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Certificate("Land registry encryption")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://land.agency.test/saml/slo"/>
                <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
                <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="0" isDefault="true"/>
                <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://land.agency.test/saml/artifact" index="1"/>
              </md:SPSSODescriptor>
            </md:EntityDescriptor>
            """;
        return new FilePayload { Name = name, MimeType = "application/xml", Buffer = Encoding.UTF8.GetBytes(xml) };
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
