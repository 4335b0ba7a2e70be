using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using IdentityHub.Authentication.Agencies;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Saml.Providers;
using IdentityHub.Testing;
using IdentityHub.Testing.Saml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// Web Browser SSO against npm's @node-saml/node-saml as the agency's SP (idpCert pinned, audience set, assertion and
/// response signatures required, validateInResponseTo "always"): both request bindings, signed and encrypted answers,
/// the replay cache, the SP's key as the only key, and level of assurance with step-up and NoAuthnContext.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SamlSsoTests(HubFixture hub)
{
    [Theory]
    [InlineData("HTTP-Redirect", false)]
    [InlineData("HTTP-POST", false)]
    [InlineData("HTTP-Redirect", true)]
    public async Task A_node_saml_SP_signs_a_citizen_in_and_accepts_the_signed_answer(string binding, bool encrypted)
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await RegisterAsync(binding, encrypted);

        var (answer, requestId) = await SignInAsync(citizen, sp, "relay-" + binding[5..]);
        var profile = (await NodeSamlSp.RunAsync("validate-response", new JsonObject
        {
            ["sp"] = sp.Config.DeepClone(),
            ["samlResponse"] = answer.SamlResponse,
            ["relayState"] = answer.RelayState,
            ["requestIds"] = new JsonArray(requestId),
        })).Ok()["profile"]!.AsObject();

        await using var scope = hub.App.Services.CreateAsyncScope();
        var expected = scope.ServiceProvider.GetRequiredService<PairwiseSubjects>().SubjectFor(sp.Sector, citizen.Letter.NationalId);
        Assert.Equal(expected, profile["nameID"]!.GetValue<string>());
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", profile["nameIDFormat"]!.GetValue<string>());
        Assert.Equal("relay-" + binding[5..], answer.RelayState);
        Assert.Contains("http://eidas.europa.eu/LoA/substantial", profile.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Mari", profile.ToJsonString(), StringComparison.Ordinal); // CurrentGivenName
        var xml = Encoding.UTF8.GetString(Convert.FromBase64String(answer.SamlResponse));
        Assert.Equal(encrypted, xml.Contains("EncryptedAssertion", StringComparison.Ordinal));
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEvents.CountAsync(e => e.Type == "saml.response.issued" && e.Subject == sp.EntityId));
    }

    [Fact]
    public async Task Lasso_as_a_second_SP_accepts_an_encrypted_login_answer_for_its_own_signed_request()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        var idpMetadata = await http.GetStringAsync("/saml/metadata");
        var keys = SpKeys.Create("Lasso SP");
        var sp = LassoSp.Sp($"https://lasso-{Guid.NewGuid():N}.agency.example/saml", "https://land.agency.example/saml/acs", keys.PrivateKeyPem, keys.CertificatePem);
        var metadata = (await LassoSp.RunAsync("metadata", new JsonObject { ["sp"] = sp.DeepClone() })).Ok()["metadata"]!.GetValue<string>();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var (_, problem) = await scope.ServiceProvider.GetRequiredService<ServiceProviders>().AddAsync(new ServiceProviderSpec
            {
                Metadata = Encoding.UTF8.GetBytes(metadata),
                DisplayName = "Land registry",
                MinimumLevel = "low",
                GovernmentService = true,
            }, "tests", CancellationToken.None);
            Assert.True(problem is null, problem);
        }

        var request = (await LassoSp.RunAsync("login-request", new JsonObject { ["sp"] = sp.DeepClone(), ["idpMetadata"] = idpMetadata })).Ok();
        var page = await citizen.Client.GetAsync(new Uri(request["url"]!.GetValue<string>()).PathAndQuery);
        Assert.True(page.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(page.Body));
        var form = await citizen.Client.GetAsync(page.Location!);
        var profile = (await LassoSp.RunAsync("validate-response", new JsonObject
        {
            ["sp"] = sp.DeepClone(),
            ["idpMetadata"] = idpMetadata,
            ["samlResponse"] = form.Hidden("SAMLResponse"),
            ["requestId"] = request["requestId"]!.GetValue<string>(),
        })).Ok();

        Assert.True(profile["assertionEncrypted"]!.GetValue<bool>());
        Assert.Equal("http://eidas.europa.eu/LoA/substantial", profile["authnContextClassRef"]!.GetValue<string>());
        await using var check = hub.App.Services.CreateAsyncScope();
        Assert.Equal(check.ServiceProvider.GetRequiredService<PairwiseSubjects>().SubjectFor(new Uri(sp["entityId"]!.GetValue<string>()).Host, citizen.Letter.NationalId),
            profile["nameId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replayed_request_gets_a_RequestDenied_answer_and_an_unsigned_one_an_error_page()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await RegisterAsync("HTTP-Redirect", encrypted: false);
        var request = (await NodeSamlSp.RunAsync("login-request", new JsonObject { ["sp"] = sp.Config.DeepClone() })).Ok();
        var url = new Uri(request["url"]!.GetValue<string>());

        var first = await citizen.Client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        var again = await citizen.Client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:status:RequestDenied", Decode(again.Hidden("SAMLResponse")!), StringComparison.Ordinal);

        // Housekeeping deletes requests past Saml:RequestLifetime, and only those.
        await using (var purge = hub.App.Services.CreateAsyncScope())
        {
            var db = purge.ServiceProvider.GetRequiredService<HubDbContext>();
            var mine = db.SamlRequests.Where(r => r.SpEntityId == sp.EntityId);
            Assert.Equal(1, await mine.CountAsync());
            var housekeeping = hub.App.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<IdentityHub.Saml.Sso.SamlHousekeeping>().Single();
            await housekeeping.PurgeAsync(CancellationToken.None);
            Assert.Equal(1, await mine.CountAsync());
            await mine.ExecuteUpdateAsync(u => u.SetProperty(r => r.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
            Assert.True(await housekeeping.PurgeAsync(CancellationToken.None) >= 1);
            Assert.Equal(0, await mine.CountAsync());
        }

        // The same request without its signature: this SP's requests must be signed.
        var unsigned = url.PathAndQuery.Split('&').Where(p => !p.StartsWith("Signature=", StringComparison.Ordinal) && !p.StartsWith("SigAlg=", StringComparison.Ordinal));
        var refused = await citizen.Client.GetAsync(string.Join('&', unsigned));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("must be signed", WebUtility.HtmlDecode(refused.Body), StringComparison.Ordinal);
        await using var scope = hub.App.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEvents.AnyAsync(e => e.Type == "saml.request.refused" && e.Subject == sp.EntityId && e.Details.Contains("unsigned")));
    }

    [Fact]
    public async Task A_request_for_high_after_a_substantial_login_goes_to_step_up_and_a_citizen_without_a_passkey_gets_NoAuthnContext()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await RegisterAsync("HTTP-Redirect", encrypted: false, requested: ["http://eidas.europa.eu/LoA/high"]);
        var (requestId, page) = await StartAsync(citizen, sp);
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/saml/sso/continue/", page.Location, StringComparison.Ordinal);

        // Password + TOTP cannot reach high, and this citizen has no passkey: the SP is told at once.
        var answer = await citizen.Client.GetAsync(page.Location!);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var xml = Decode(answer.Hidden("SAMLResponse")!);
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext", xml, StringComparison.Ordinal);
        Assert.Contains($"InResponseTo=\"{requestId}\"", xml, StringComparison.Ordinal);

        // That answer is the request's only one: coming back to the same step (say, after adding a passkey elsewhere)
        // gets a page saying so, not a second answer to the same request.
        var again = await citizen.Client.GetAsync(page.Location!);
        Assert.Null(again.Hidden("SAMLResponse"));
        Assert.Contains("answered already", again.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_metadata_is_signed_and_xmlsec1_verifies_it_with_the_IdP_certificate_pinned()
    {
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        var metadata = await http.GetStringAsync("/saml/metadata");
        var dir = Directory.CreateTempSubdirectory("saml-metadata-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "metadata.xml"), metadata);
        await File.WriteAllTextAsync(Path.Combine(dir, "idp.crt"), IdpMetadata.SigningCertificate(metadata).ExportCertificatePem());

        var verified = await Openssl.RunToolAsync(dir, "xmlsec1", ["--verify", "--pubkey-cert-pem", "idp.crt",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "metadata.xml"], TimeSpan.FromSeconds(60));
        Assert.True(verified.ExitCode == 0, verified.All);

        await File.WriteAllTextAsync(Path.Combine(dir, "changed.xml"), metadata.Replace("urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "urn:oasis:names:tc:SAML:2.0:nameid-format:emailAddres", StringComparison.Ordinal));
        var changed = await Openssl.RunToolAsync(dir, "xmlsec1", ["--verify", "--pubkey-cert-pem", "idp.crt",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", "changed.xml"], TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, changed.ExitCode);
    }

    internal sealed record RegisteredSp(string EntityId, string Sector, JsonObject Config);

    internal sealed record Answer(string SamlResponse, string? RelayState);

    internal async Task<RegisteredSp> RegisterAsync(string binding, bool encrypted, string[]? requested = null, Action<JsonObject>? configure = null, string displayName = "Permits agency", bool governmentService = true)
    {
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        var idpCertificate = IdpMetadata.SigningCertificate(await http.GetStringAsync("/saml/metadata"));
        var keys = SpKeys.Create("SP " + Guid.NewGuid().ToString("N")[..8]);
        var entityId = $"https://sp-{Guid.NewGuid():N}.agency.example/saml";
        var config = NodeSamlSp.Sp(hub.BaseAddress, entityId, "https://permits.agency.example/saml/acs", idpCertificate.ExportCertificatePem(),
            keys.PrivateKeyPem, keys.CertificatePem, binding);
        if (requested is not null)
        {
            config["requestedAuthnContext"] = new JsonArray([.. requested.Select(r => (JsonNode)r)]);
            config["racComparison"] = "minimum";
        }

        configure?.Invoke(config);

        var metadata = (await NodeSamlSp.RunAsync("metadata", new JsonObject { ["sp"] = config.DeepClone() })).Ok()["metadata"]!.GetValue<string>();
        await using var scope = hub.App.Services.CreateAsyncScope();
        var (registered, problem) = await scope.ServiceProvider.GetRequiredService<ServiceProviders>().AddAsync(new ServiceProviderSpec
        {
            Metadata = Encoding.UTF8.GetBytes(metadata),
            DisplayName = displayName,
            EncryptAssertions = encrypted,
            MinimumLevel = "low",
            GovernmentService = governmentService,
        }, "tests", CancellationToken.None);
        Assert.True(problem is null, problem);
        return new RegisteredSp(registered!, new Uri(entityId).Host, config);
    }

    internal static async Task<(string RequestId, WebPage Page)> StartAsync(ActivatedCitizen citizen, RegisteredSp sp, string? relayState = null)
    {
        var request = (await NodeSamlSp.RunAsync("login-request", new JsonObject { ["sp"] = sp.Config.DeepClone(), ["relayState"] = relayState })).Ok();
        var requestId = request["requestId"]!.GetValue<string>();
        if (request["binding"]!.GetValue<string>() == "redirect")
        {
            return (requestId, await citizen.Client.GetAsync(new Uri(request["url"]!.GetValue<string>()).PathAndQuery));
        }

        var fields = request["fields"]!.AsObject().ToDictionary(f => f.Key, f => f.Value!.GetValue<string>());
        return (requestId, await citizen.Client.PostAsync(new Uri(request["action"]!.GetValue<string>()).PathAndQuery, fields, null));
    }

    internal static async Task<(Answer Answer, string RequestId)> SignInAsync(ActivatedCitizen citizen, RegisteredSp sp, string? relayState = null)
    {
        var (requestId, page) = await StartAsync(citizen, sp, relayState);
        Assert.True(page.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(page.Body));
        var form = await citizen.Client.GetAsync(page.Location!);
        Assert.True(form.Status == HttpStatusCode.OK, WebUtility.HtmlDecode(form.Body));
        Assert.Contains("action=\"https://permits.agency.example/saml/acs\"", form.Body, StringComparison.Ordinal);
        return (new Answer(form.Hidden("SAMLResponse")!, form.Hidden("RelayState")), requestId);
    }

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));
}
