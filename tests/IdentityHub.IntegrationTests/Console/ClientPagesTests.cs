using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.IntegrationTests.Oidc;
using IdentityHub.Testing.Oidc;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>
/// The console's OIDC client pages (docs/officer-console.md "OIDC clients"): admins list, register (a refused setting
/// shown next to its field, a secret shown once), mark government services, and disable and enable clients, all audited
/// with their name; other staff are refused.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ClientPagesTests(HubFixture hub)
{
    private string Origin => hub.BrowserAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task An_admin_registers_a_client_sees_field_errors_and_the_secret_once_and_lists_it()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        var clientId = ConsoleWeb.Unique("land");

        var refused = await client.SubmitAsync("/console/clients/new", new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["DisplayName"] = "Land Registry", ["RedirectUris"] = "http://land.agency.test/cb",
        });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal([("#RedirectUris", "http://land.agency.test/cb: use https (plain http only to a loopback address).")], ConsoleOfficers.ErrorSummary(refused.Body));
        Assert.Contains("id=\"RedirectUris-error\"", refused.Body, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", refused.Body, StringComparison.Ordinal);

        var registered = await client.SubmitAsync("/console/clients/new", new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["DisplayName"] = "Land Registry", ["RedirectUris"] = "https://land.agency.test/cb\nhttps://land.agency.test/cb2",
            ["Scopes"] = "profile", ["Confidential"] = "true", ["GovernmentService"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        Assert.Contains($"Client {clientId} registered", registered.Body, StringComparison.Ordinal);
        Assert.Matches("<p class=\"secret\" id=\"client-secret\">[A-Za-z0-9_-]{43}</p>", registered.Body);

        var list = await client.GetAsync("/console/clients");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains($"<tr data-client=\"{clientId}\">", list.Body, StringComparison.Ordinal);
        Assert.Contains("https://land.agency.test/cb2", list.Body, StringComparison.Ordinal);
        var detail = await client.GetAsync("/console/clients/client?id=" + clientId);
        Assert.Contains("yes: citizens are not asked for consent", detail.Body, StringComparison.Ordinal);
        Assert.DoesNotMatch("[A-Za-z0-9_-]{43}</", detail.Body.Replace("__RequestVerificationToken", "", StringComparison.Ordinal).Split("<form")[0]);
        Assert.Contains("\"type\":\"confidential\"", await hub.LastAsync(clientId, "oidc.client.added"), StringComparison.Ordinal);
        Assert.Contains("\"governmentService\":\"true\"", await hub.LastAsync(clientId, "oidc.client.government_service"), StringComparison.Ordinal);

        var changed = await client.SubmitAsync("/console/clients/client?id=" + clientId, new Dictionary<string, string> { ["id"] = clientId, ["governmentService"] = "false" },
            "/console/clients/client?handler=GovernmentService");
        Assert.Equal(HttpStatusCode.Redirect, changed.Status);
        Assert.Contains("no: citizens are asked for consent", (await client.GetAsync("/console/clients/client?id=" + clientId)).Body, StringComparison.Ordinal);
        Assert.Contains("\"governmentService\":\"false\"", await hub.LastAsync(clientId, "oidc.client.government_service"), StringComparison.Ordinal);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var actors = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == clientId).Select(e => e.Actor).ToListAsync();
        Assert.Equal(3, actors.Count);
        Assert.All(actors, a => Assert.Equal(admin, a));
    }

    [Fact]
    public async Task A_disabled_client_is_refused_at_both_endpoints_until_an_admin_enables_it_again()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        var clientId = ConsoleWeb.Unique("parks");
        var registered = await client.SubmitAsync("/console/clients/new", new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["DisplayName"] = "Parks Agency", ["RedirectUris"] = OidcDriver.Callback,
            ["Scopes"] = "profile", ["ClientCredentials"] = "true",
        });
        var secret = Regex.Match(registered.Body, "<p class=\"secret\" id=\"client-secret\">([A-Za-z0-9_-]{43})</p>").Groups[1].Value;
        Assert.NotEmpty(secret);
        var credentials = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        Assert.Equal(HttpStatusCode.OK, (await OidcDriver.TokenAsync(hub, credentials, (clientId, secret))).Status);
        Assert.Contains(">enabled<", (await client.GetAsync("/console/clients/client?id=" + clientId)).Body, StringComparison.Ordinal);

        var disabled = await client.SubmitAsync("/console/clients/client?id=" + clientId, new Dictionary<string, string> { ["id"] = clientId, ["disabled"] = "true" },
            "/console/clients/client?handler=Status");
        Assert.Equal(HttpStatusCode.Redirect, disabled.Status);
        var detail = await client.GetAsync("/console/clients/client?id=" + clientId);
        Assert.Contains("The client is disabled", detail.Body, StringComparison.Ordinal);
        Assert.Contains($"Enable {clientId}</button>", detail.Body, StringComparison.Ordinal);
        Assert.Matches($"<tr data-client=\"{clientId}\">(?:(?!</tr>)[\\s\\S])*<td>disabled</td>", (await client.GetAsync("/console/clients")).Body);

        // The token endpoint refuses every grant (invalid_client), and the authorization endpoint shows an error page:
        // the check runs before the redirect URI is trusted, so nothing goes back to the agency.
        var refused = await OidcDriver.TokenAsync(hub, credentials, (clientId, secret));
        Assert.NotEqual(HttpStatusCode.OK, refused.Status);
        Assert.Equal("invalid_client", refused.Body.GetProperty("error").GetString());
        using var browser = new HubWebClient(hub.BaseAddress);
        var authorize = await browser.GetAsync(OidcDriver.Request(clientId).Query);
        Assert.NotEqual(HttpStatusCode.Redirect, authorize.Status);
        Assert.Contains("invalid_client", authorize.Body, StringComparison.Ordinal);
        Assert.Contains("\"revokedTokens\"", await hub.LastAsync(clientId, "oidc.client.disabled"), StringComparison.Ordinal);

        // Without the antiforgery token, nothing changes.
        var token = HubWebClient.TokenOf(detail.Body);
        var forged = await client.PostAsync("/console/clients/client?handler=Status", new Dictionary<string, string> { ["id"] = clientId, ["disabled"] = "false" }, null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.NotEqual(HttpStatusCode.OK, (await OidcDriver.TokenAsync(hub, credentials, (clientId, secret))).Status);

        var enabled = await client.PostAsync("/console/clients/client?handler=Status", new Dictionary<string, string> { ["id"] = clientId, ["disabled"] = "false" }, token);
        Assert.Equal(HttpStatusCode.Redirect, enabled.Status);
        Assert.Equal(HttpStatusCode.OK, (await OidcDriver.TokenAsync(hub, credentials, (clientId, secret))).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(OidcDriver.Request(clientId).Query)).Status);
        Assert.StartsWith("/login", (await browser.GetAsync(OidcDriver.Request(clientId).Query)).Location, StringComparison.Ordinal);

        var events = await hub.EventsAsync(clientId);
        Assert.Equal(["oidc.client.added", "oidc.client.disabled", "oidc.client.enabled"], events.Select(e => e.Type));
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.All(await db.AuditEvents.AsNoTracking().Where(e => e.Subject == clientId).Select(e => e.Actor).ToListAsync(), a => Assert.Equal(admin, a));
    }

    [Fact]
    public async Task An_admin_changes_a_client_a_bad_redirect_uri_is_refused_with_the_field_named_and_nothing_saved()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        var clientId = ConsoleWeb.Unique("roads");
        await client.SubmitAsync("/console/clients/new", new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["DisplayName"] = "Roads Agency", ["RedirectUris"] = "https://roads.agency.test/cb", ["Scopes"] = "profile",
        });
        var edit = "/console/clients/edit?id=" + clientId;
        var form = await client.GetAsync(edit);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains(">https://roads.agency.test/cb</textarea>", form.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"Roads Agency\"", form.Body, StringComparison.Ordinal);
        Assert.Matches("<input type=\"checkbox\" id=\"Scopes\" name=\"Scopes\" value=\"profile\" checked=\"checked\">", form.Body);

        // One bad URI among good ones: the registry names the field, the page shows it there, and nothing is saved.
        var refused = await client.SubmitAsync(edit, new Dictionary<string, string>
        {
            ["id"] = clientId, ["DisplayName"] = "Roads and Bridges", ["RedirectUris"] = "https://roads.agency.test/cb\nhttps://roads.agency.test/cb#frag",
            ["Scopes"] = "national_id",
        });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal([("#RedirectUris", "https://roads.agency.test/cb#frag: a redirect URI has no fragment (RFC 6749 §3.1.2).")], ConsoleOfficers.ErrorSummary(refused.Body));
        Assert.Contains("id=\"RedirectUris-error\"", refused.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"Roads and Bridges\"", refused.Body, StringComparison.Ordinal); // what was typed is kept
        var unchanged = await StoredAsync(clientId);
        Assert.Equal("Roads Agency", unchanged!.DisplayName);
        Assert.Equal(["https://roads.agency.test/cb"], unchanged.RedirectUris);
        Assert.Equal(["openid", "profile"], unchanged.Scopes);
        Assert.DoesNotContain(await hub.EventsAsync(clientId), e => e.Type == "oidc.client.updated");

        // A public client cannot use client credentials: the checkbox is named.
        var noSecret = await client.SubmitAsync(edit, new Dictionary<string, string>
        {
            ["id"] = clientId, ["DisplayName"] = "Roads Agency", ["RedirectUris"] = "https://roads.agency.test/cb", ["ClientCredentials"] = "true",
        });
        Assert.Equal([("#ClientCredentials", "Client credentials need a confidential client: give a secret or a JWKS.")], ConsoleOfficers.ErrorSummary(noSecret.Body));

        var saved = await client.SubmitAsync(edit, new Dictionary<string, string>
        {
            ["id"] = clientId, ["DisplayName"] = "Roads and Bridges", ["RedirectUris"] = "https://roads.agency.test/cb\n" + OidcDriver.Callback,
            ["PostLogoutRedirectUris"] = "https://roads.agency.test/", ["Scopes"] = "national_id", ["Sector"] = "roads.agency.test",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var detail = await client.GetAsync(saved.Location!);
        Assert.Contains("The client&#x27;s settings are saved.", detail.Body, StringComparison.Ordinal);
        Assert.Contains("<dt>Name</dt><dd>Roads and Bridges</dd>", detail.Body, StringComparison.Ordinal);
        Assert.Contains($"<li>{OidcDriver.Callback}</li>", detail.Body, StringComparison.Ordinal);
        var stored = await StoredAsync(clientId);
        Assert.Equal([OidcDriver.Callback, "https://roads.agency.test/cb"], stored!.RedirectUris);
        Assert.Equal(["https://roads.agency.test/"], stored.PostLogoutRedirectUris);
        Assert.Equal(["national_id", "openid"], stored.Scopes);

        // The authorization endpoint follows at once: the new redirect URI and national_id are accepted (on to the login
        // page), and profile, taken away, is refused (OpenIddict's error page, as for any scope a client lacks).
        using var browser = new HubWebClient(hub.BaseAddress);
        Assert.StartsWith("/login", (await browser.GetAsync(OidcDriver.Request(clientId, "openid national_id").Query)).Location, StringComparison.Ordinal);
        var narrowed = await browser.GetAsync(OidcDriver.Request(clientId, "openid profile").Query);
        Assert.Equal(HttpStatusCode.BadRequest, narrowed.Status);
        Assert.Null(narrowed.Location);
        Assert.Contains("scope", narrowed.Body, StringComparison.Ordinal);

        var updated = await hub.LastAsync(clientId, "oidc.client.updated");
        Assert.Contains("\"changed\":\"display_name redirect_uris post_logout_redirect_uris scopes\"", updated, StringComparison.Ordinal); // unchanged settings are not listed
        Assert.Contains("\"scopes\":\"national_id\"", updated, StringComparison.Ordinal);

        // Saving the same settings again changes nothing (the registry still records the attempt, with nothing changed).
        await client.SubmitAsync(edit, new Dictionary<string, string>
        {
            ["id"] = clientId, ["DisplayName"] = "Roads and Bridges", ["RedirectUris"] = OidcDriver.Callback + "\nhttps://roads.agency.test/cb",
            ["PostLogoutRedirectUris"] = "https://roads.agency.test/", ["Scopes"] = "national_id", ["Sector"] = "roads.agency.test",
        });
        var events = await hub.EventsAsync(clientId);
        Assert.Equal(["oidc.client.added", "oidc.client.updated", "oidc.client.updated"], events.Select(e => e.Type));
        Assert.Contains("\"changed\":\"\"", events[^1].Details, StringComparison.Ordinal);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.All(await db.AuditEvents.AsNoTracking().Where(e => e.Subject == clientId).Select(e => e.Actor).ToListAsync(), a => Assert.Equal(admin, a));
    }

    [Fact]
    public async Task Rotating_a_secret_shows_the_new_one_once_and_the_old_one_stops_working()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        var clientId = ConsoleWeb.Unique("water");
        var registered = await client.SubmitAsync("/console/clients/new", new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["DisplayName"] = "Water Board", ["RedirectUris"] = "https://water.agency.test/cb", ["ClientCredentials"] = "true",
        });
        var old = SecretOf(registered.Body);
        var credentials = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        Assert.Equal(HttpStatusCode.OK, (await OidcDriver.TokenAsync(hub, credentials, (clientId, old))).Status);
        Assert.Contains("href=\"/console/clients/rotate-secret?id=" + clientId + "\"", (await client.GetAsync("/console/clients/client?id=" + clientId)).Body, StringComparison.Ordinal);

        // The confirmation page changes nothing.
        var confirm = await client.GetAsync("/console/clients/rotate-secret?id=" + clientId);
        Assert.Contains("id=\"confirm-consequences\"", confirm.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"client-secret\"", confirm.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await OidcDriver.TokenAsync(hub, credentials, (clientId, old))).Status);

        var rotated = await client.PostAsync("/console/clients/rotate-secret", new Dictionary<string, string> { ["id"] = clientId }, HubWebClient.TokenOf(confirm.Body));
        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        var fresh = SecretOf(rotated.Body);
        Assert.NotEqual(old, fresh);

        var refused = await OidcDriver.TokenAsync(hub, credentials, (clientId, old));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("invalid_client", refused.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, (await OidcDriver.TokenAsync(hub, credentials, (clientId, fresh))).Status);

        // Shown once: neither the client's page, the list, nor the audit log holds it.
        Assert.DoesNotContain(fresh, (await client.GetAsync("/console/clients/client?id=" + clientId)).Body, StringComparison.Ordinal);
        Assert.DoesNotContain(fresh, (await client.GetAsync("/console/clients")).Body, StringComparison.Ordinal);
        var events = await hub.EventsAsync(clientId);
        Assert.Equal(["oidc.client.added", "oidc.client.secret_rotated"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.DoesNotContain(fresh, e.Details, StringComparison.Ordinal));
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.All(await db.AuditEvents.AsNoTracking().Where(e => e.Subject == clientId).Select(e => e.Actor).ToListAsync(), a => Assert.Equal(admin, a));

        // A public client has no secret: no link, and the page refuses.
        var publicId = ConsoleWeb.Unique("library");
        await client.SubmitAsync("/console/clients/new", new Dictionary<string, string>
        {
            ["ClientId"] = publicId, ["DisplayName"] = "Library", ["RedirectUris"] = "https://library.agency.test/cb",
        });
        Assert.DoesNotContain("rotate-secret", (await client.GetAsync("/console/clients/client?id=" + publicId)).Body, StringComparison.Ordinal);
        var publicRefused = await client.SubmitAsync("/console/clients/rotate-secret?id=" + publicId, new Dictionary<string, string> { ["id"] = publicId });
        Assert.Contains("This client has no secret to rotate", publicRefused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"client-secret\"", publicRefused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(await hub.EventsAsync(publicId), e => e.Type == "oidc.client.secret_rotated");
    }

    [Fact]
    public async Task The_profile_signing_algorithm_par_dpop_logout_uri_and_contacts_are_checked_saved_and_shown()
    {
        using var key = new SoftwareAuthenticator(Origin);
        var (admin, client) = await ConsoleWeb.SignedInAdminAsync(hub, key);
        using var _ = client;
        using var agencyKey = new AgencyKey();
        var clientId = ConsoleWeb.Unique("bank");
        Dictionary<string, string> Form(params (string Key, string Value)[] extra)
        {
            var form = new Dictionary<string, string>
            {
                ["ClientId"] = clientId, ["DisplayName"] = "Banking Supervisor", ["RedirectUris"] = "https://bank.agency.test/cb", ["Scopes"] = "profile",
            };
            foreach (var (k, v) in extra)
            {
                form[k] = v;
            }

            return form;
        }

        // Each refusal names its field; the page puts it on that field's input.
        var refusals = new (Dictionary<string, string> Form, string Input, string Problem)[]
        {
            (Form(("Profile", "fapi2"), ("Confidential", "true")), "#Profile", "A FAPI 2.0 client authenticates with private_key_jwt: register its JWKS and no client secret."),
            (Form(("Profile", "fapi3")), "#Profile", "Unknown profile 'fapi3': use standard or fapi2."),
            (Form(("SigningAlgorithm", "HS256")), "#SigningAlgorithm", "Unknown ID token signing algorithm 'HS256'"),
            (Form(("BackChannelLogoutUri", "http://bank.agency.test/logout")), "#BackChannelLogoutUri", "http://bank.agency.test/logout: use https (plain http only to a loopback address)."),
            (Form(("Contacts", "it@bank.agency.test\nnot an address")), "#Contacts", "'not an address' is not an e-mail address."),
            (Form(("Jwks", new System.Text.Json.Nodes.JsonObject { ["keys"] = new System.Text.Json.Nodes.JsonArray(agencyKey.PrivateJwk) }.ToJsonString())), "#Jwks", $"key {agencyKey.KeyId} has private or symmetric members"),
        };
        foreach (var (form, input, problem) in refusals)
        {
            var refused = await client.SubmitAsync("/console/clients/new", form);
            Assert.Equal(HttpStatusCode.OK, refused.Status);
            var summary = Assert.Single(ConsoleOfficers.ErrorSummary(refused.Body));
            Assert.Equal(input, summary.Href);
            Assert.StartsWith(problem, summary.Text, StringComparison.Ordinal);
            Assert.Contains($"id=\"{input[1..]}-error\"", refused.Body, StringComparison.Ordinal);
        }

        Assert.Empty(await hub.EventsAsync(clientId));

        // A FAPI 2.0 client with its JWKS: no secret, PAR and DPoP implied; the other settings are saved as given.
        var registered = await client.SubmitAsync("/console/clients/new", Form(
            ("Profile", "fapi2"), ("Jwks", agencyKey.Jwks), ("SigningAlgorithm", "PS256"), ("BackChannelLogoutUri", "https://bank.agency.test/backchannel"),
            ("Contacts", "it@bank.agency.test\nsecurity@bank.agency.test"), ("GovernmentService", "true")));
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        Assert.Contains($"Client {clientId} registered", registered.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"client-secret\"", registered.Body, StringComparison.Ordinal);
        var stored = await StoredAsync(clientId);
        Assert.Equal(OidcClientProfiles.Fapi2, stored!.Profile);
        Assert.Equal("private_key_jwt", stored.AuthenticationMethod);
        Assert.True(stored.RequirePushedAuthorization);
        Assert.True(stored.RequireDpop);
        Assert.Equal("PS256", stored.SigningAlgorithm);
        Assert.Equal("https://bank.agency.test/backchannel", stored.BackChannelLogoutUri);
        Assert.Equal(["it@bank.agency.test", "security@bank.agency.test"], stored.Contacts);

        var detail = await client.GetAsync("/console/clients/client?id=" + clientId);
        Assert.Contains("<dd id=\"profile\">FAPI 2.0 Security Profile (fapi2)</dd>", detail.Body, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"par\">required</dd>", detail.Body, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"dpop\">required</dd>", detail.Body, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"signing-alg\">PS256</dd>", detail.Body, StringComparison.Ordinal);
        Assert.Contains("https://bank.agency.test/backchannel</dd>", detail.Body, StringComparison.Ordinal);
        Assert.Contains("<li>security@bank.agency.test</li>", detail.Body, StringComparison.Ordinal);
        Assert.Contains("its own keys (private_key_jwt)", detail.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("rotate-secret", detail.Body, StringComparison.Ordinal);

        // The edit form shows them; back to the standard profile with RS256, PAR kept, DPoP dropped, no logout URI.
        var edit = "/console/clients/edit?id=" + clientId;
        var form2 = await client.GetAsync(edit);
        Assert.Contains("<option value=\"PS256\" selected=\"selected\">", form2.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"fapi2\" checked=\"checked\"", form2.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"https://bank.agency.test/backchannel\"", form2.Body, StringComparison.Ordinal);
        Assert.Contains(">it@bank.agency.test\nsecurity@bank.agency.test</textarea>", WebUtility.HtmlDecode(form2.Body), StringComparison.Ordinal);
        var saved = await client.SubmitAsync(edit, new Dictionary<string, string>
        {
            ["id"] = clientId, ["DisplayName"] = "Banking Supervisor", ["RedirectUris"] = "https://bank.agency.test/cb", ["Scopes"] = "profile",
            ["Profile"] = "standard", ["SigningAlgorithm"] = "RS256", ["RequirePushedAuthorization"] = "true", ["GovernmentService"] = "true",
            ["Contacts"] = "it@bank.agency.test",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        stored = await StoredAsync(clientId);
        Assert.Equal(OidcClientProfiles.Standard, stored!.Profile);
        Assert.Equal("private_key_jwt", stored.AuthenticationMethod); // an empty JWKS field keeps the keys
        Assert.True(stored.RequirePushedAuthorization);
        Assert.False(stored.RequireDpop);
        Assert.Equal("RS256", stored.SigningAlgorithm);
        Assert.Null(stored.BackChannelLogoutUri);
        Assert.Equal(["it@bank.agency.test"], stored.Contacts);
        var updated = await hub.LastAsync(clientId, "oidc.client.updated");
        Assert.Contains("\"changed\":\"profile dpop_bound_access_tokens contacts backchannel_logout_uri signing_alg\"", updated, StringComparison.Ordinal);
        Assert.Contains("\"signingAlg\":\"RS256\"", updated, StringComparison.Ordinal);

        // A refused change names its field and saves nothing.
        var refusedEdit = await client.SubmitAsync(edit, new Dictionary<string, string>
        {
            ["id"] = clientId, ["DisplayName"] = "Banking Supervisor", ["RedirectUris"] = "https://bank.agency.test/cb", ["SigningAlgorithm"] = "none",
        });
        Assert.Equal("#SigningAlgorithm", Assert.Single(ConsoleOfficers.ErrorSummary(refusedEdit.Body)).Href);
        Assert.Equal("RS256", (await StoredAsync(clientId))!.SigningAlgorithm);
        Assert.Single(await hub.EventsAsync(clientId), e => e.Type == "oidc.client.updated");
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.All(await db.AuditEvents.AsNoTracking().Where(e => e.Subject == clientId).Select(e => e.Actor).ToListAsync(), a => Assert.Equal(admin, a));
    }

    private async Task<OidcClientView?> StoredAsync(string clientId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OidcClients>().FindAsync(clientId, CancellationToken.None);
    }

    private static string SecretOf(string body)
    {
        var secret = Regex.Match(body, "<p class=\"secret\" id=\"client-secret\">([A-Za-z0-9_-]{43})</p>").Groups[1].Value;
        Assert.NotEmpty(secret);
        return secret;
    }

    [Fact]
    public async Task Staff_who_are_not_admins_cannot_open_or_post_the_client_pages()
    {
        using var officer = await hub.SignedInAsync(StaffRoles.Officer, Citizens.ServicePoint);

        foreach (var path in new[] { "/console/clients", "/console/clients/new", "/console/clients/client?id=x", "/console/clients/edit?id=x", "/console/clients/rotate-secret?id=x" })
        {
            var page = await officer.GetAsync(path);
            Assert.NotEqual(HttpStatusCode.OK, page.Status);
            Assert.StartsWith("/console/access-denied", ConsoleOfficers.PathOf(page), StringComparison.Ordinal);
        }

        var clientId = ConsoleWeb.Unique("sneaky");
        var token = HubWebClient.TokenOf((await officer.GetAsync("/console")).Body);
        var posted = await officer.PostAsync("/console/clients/new", new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["DisplayName"] = "Sneaky", ["RedirectUris"] = "https://sneaky.test/cb",
        }, token);
        Assert.NotEqual(HttpStatusCode.OK, posted.Status);
        Assert.DoesNotContain(await hub.EventsAsync(clientId), e => e.Type == "oidc.client.added");

        // Nor can they change, rotate the secret of, or disable a client that exists.
        var existing = ConsoleWeb.Unique("guarded");
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
        {
                ClientId = existing, DisplayName = "Guarded", ClientSecret = OidcClients.NewSecret(), RedirectUris = ["https://guarded.test/cb"],
            }, "test", CancellationToken.None)).Succeeded);
        }

        var attempts = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/console/clients/edit?id=" + existing, new() { ["id"] = existing, ["DisplayName"] = "Taken over", ["RedirectUris"] = "https://evil.test/cb" }),
            ("/console/clients/rotate-secret?id=" + existing, new() { ["id"] = existing }),
            ("/console/clients/client?handler=Status", new() { ["id"] = existing, ["disabled"] = "true" }),
        };
        foreach (var (path, fields) in attempts)
        {
            var attempt = await officer.PostAsync(path, fields, token);
            Assert.NotEqual(HttpStatusCode.OK, attempt.Status);
            Assert.DoesNotContain("client-secret", attempt.Body, StringComparison.Ordinal);
        }

        var after = await StoredAsync(existing);
        Assert.Equal("Guarded", after!.DisplayName);
        Assert.Equal(["https://guarded.test/cb"], after.RedirectUris);
        Assert.Null(after.DisabledAt);
        Assert.Equal(["oidc.client.added"], (await hub.EventsAsync(existing)).Select(e => e.Type));
    }
}
