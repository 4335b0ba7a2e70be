using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Testing;
using IdentityHub.Testing.Saml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// Issue 11's acceptance points on a live hub: xmlsec1 (an independent XML DSig implementation) verifies both signatures of
/// a real answer with the IdP certificate pinned and nothing taken from the document, and refuses a changed one; and
/// IdP-initiated (unsolicited) sign-in, answered only for SPs registered to accept it, accepted by node-saml.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SamlAssuranceTests(HubFixture hub)
{
    private const string Acs = "https://permits.agency.example/saml/acs";
    private const string ResponseSignature = "/*[local-name()='Response']/*[local-name()='Signature']";
    private const string AssertionSignature = "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']";

    [Fact]
    public async Task Xmlsec1_verifies_the_Response_and_the_Assertion_signature_of_a_live_answer_with_the_IdP_certificate_pinned_and_refuses_changes_and_another_certificate()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await NodeSamlOnHub.RegisterAsync(hub.App.Services, hub.BaseAddress, Acs);
        var (answer, requestId) = await NodeSamlOnHub.SignInAsync(citizen.Client, sp, "xmlsec1");
        await NodeSamlOnHub.ValidateAsync(sp, answer, requestId); // the answer is one a real SP takes

        var dir = Directory.CreateTempSubdirectory("saml-response-").FullName;
        var xml = answer.Xml;
        await File.WriteAllTextAsync(Path.Combine(dir, "response.xml"), xml);
        await File.WriteAllTextAsync(Path.Combine(dir, "idp.crt"), IdpMetadata.SigningCertificate(await hub.Http.GetStringAsync("/saml/metadata")).ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "other.crt"), SpKeys.Create("Not the IdP").CertificatePem);

        // Both signatures are there, each verified on its own.
        var document = new XmlDocument { XmlResolver = null };
        document.LoadXml(xml);
        Assert.Single(document.SelectNodes(ResponseSignature)!);
        Assert.Single(document.SelectNodes(AssertionSignature)!);
        var response = await VerifyAsync(dir, "idp.crt", "response.xml", ResponseSignature);
        Assert.True(response.ExitCode == 0, response.All);
        var assertion = await VerifyAsync(dir, "idp.crt", "response.xml", AssertionSignature);
        Assert.True(assertion.ExitCode == 0, assertion.All);

        // A changed NameID, or a changed attribute value, breaks the signatures over them.
        var nameId = document.SelectSingleNode("//*[local-name()='Assertion']/*[local-name()='Subject']/*[local-name()='NameID']")!.InnerText;
        await File.WriteAllTextAsync(Path.Combine(dir, "name-id.xml"), xml.Replace($">{nameId}<", ">someone-else<", StringComparison.Ordinal));
        Assert.NotEqual(0, (await VerifyAsync(dir, "idp.crt", "name-id.xml", AssertionSignature)).ExitCode);
        Assert.NotEqual(0, (await VerifyAsync(dir, "idp.crt", "name-id.xml", ResponseSignature)).ExitCode);
        var givenName = document.SelectSingleNode("//*[local-name()='Attribute'][@FriendlyName='CurrentGivenName']/*[local-name()='AttributeValue']")!.InnerText;
        Assert.Equal(1, CountOf(xml, $">{givenName}<"));
        await File.WriteAllTextAsync(Path.Combine(dir, "attribute.xml"), xml.Replace($">{givenName}<", ">Mallory<", StringComparison.Ordinal));
        Assert.NotEqual(0, (await VerifyAsync(dir, "idp.crt", "attribute.xml", AssertionSignature)).ExitCode);
        Assert.NotEqual(0, (await VerifyAsync(dir, "idp.crt", "attribute.xml", ResponseSignature)).ExitCode);

        // Another certificate pinned: refused, even with certificate trust checks off (--insecure) — the X509Certificate the
        // document carries in KeyInfo is never used, because only KeyName lookups into the pinned keys are enabled.
        Assert.NotEqual(0, (await VerifyAsync(dir, "other.crt", "response.xml", ResponseSignature)).ExitCode);
        Assert.NotEqual(0, (await VerifyAsync(dir, "other.crt", "response.xml", AssertionSignature)).ExitCode);
        Assert.NotEqual(0, (await VerifyAsync(dir, "other.crt", "response.xml", AssertionSignature, "--insecure")).ExitCode);
        Assert.Contains("X509Certificate", xml, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task An_SP_that_accepts_unsolicited_answers_gets_one_without_InResponseTo_at_its_default_ACS_and_node_saml_accepts_it()
    {
        var sp = await NodeSamlOnHub.RegisterAsync(hub.App.Services, hub.BaseAddress, Acs,
            spec => spec with { AllowUnsolicited = true, MinimumLevel = "substantial" });
        var link = $"/saml/sso/unsolicited?providerId={Uri.EscapeDataString(sp.EntityId)}&target=case-4711";

        // Without a hub session: the link goes to the login, at the SP's minimum level.
        using (var stranger = new HubWebClient(hub.BaseAddress))
        {
            var started = await stranger.GetAsync(link);
            Assert.Equal(HttpStatusCode.Redirect, started.Status);
            var login = await stranger.GetAsync(started.Location!);
            Assert.Equal(HttpStatusCode.Redirect, login.Status);
            Assert.StartsWith("/login?level=substantial&returnUrl=", login.Location, StringComparison.Ordinal);
        }

        var citizen = await hub.ActivateWithTotpAsync();
        var start = await citizen.Client.GetAsync(link);
        Assert.True(start.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(start.Body));
        Assert.StartsWith("/saml/sso/continue/", start.Location, StringComparison.Ordinal);
        var answer = NodeSamlOnHub.AnswerOf(await citizen.Client.GetAsync(start.Location!), sp);
        Assert.Equal("case-4711", answer.RelayState);

        // saml-profiles §4.1.5: no InResponseTo, neither on the Response nor on SubjectConfirmationData.
        var document = new XmlDocument { XmlResolver = null };
        document.LoadXml(answer.Xml);
        Assert.False(document.DocumentElement!.HasAttribute("InResponseTo"));
        var confirmation = (XmlElement)document.SelectSingleNode("//*[local-name()='SubjectConfirmationData']")!;
        Assert.False(confirmation.HasAttribute("InResponseTo"));
        Assert.Equal(Acs, confirmation.GetAttribute("Recipient"));
        Assert.Equal(Acs, document.DocumentElement.GetAttribute("Destination"));

        // node-saml as an SP that accepts unsolicited answers (validateInResponseTo "ifPresent") takes it; the same SP
        // insisting on InResponseTo ("always") does not.
        var accepting = sp with { Config = sp.Config.With(("validateInResponseTo", "ifPresent")) };
        var profile = await NodeSamlOnHub.ValidateAsync(accepting, answer);
        Assert.Equal("http://eidas.europa.eu/LoA/substantial", profile["authnContextClassRef"]!.GetValue<string>());
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", profile["nameIDFormat"]!.GetValue<string>());
        Assert.False(profile.ContainsKey("inResponseTo"));
        var strict = await NodeSamlSp.RunAsync("validate-response", NodeSamlSp.Input(sp.Config,
            ("samlResponse", answer.SamlResponse), ("requestIds", NodeSamlSp.RequestIds())));
        Assert.Equal("rejected", strict.Error);
        Assert.Contains("InResponseTo is missing", strict.Detail, StringComparison.Ordinal);

        // Answered once: the continue step does not answer again.
        var again = await citizen.Client.GetAsync(start.Location!);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Null(again.Hidden("SAMLResponse"));

        await using var scope = hub.App.Services.CreateAsyncScope();
        var issued = await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEvents
            .Where(e => e.Type == "saml.response.issued" && e.Subject == sp.EntityId).Select(e => e.Details).ToListAsync();
        var details = JsonDocument.Parse(Assert.Single(issued)).RootElement;
        Assert.Equal("true", details.GetProperty("unsolicited").GetString());
        Assert.Equal("", details.GetProperty("inResponseTo").GetString());
    }

    [Fact]
    public async Task An_SP_not_registered_for_unsolicited_answers_gets_none_and_the_refusal_is_audited()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var sp = await NodeSamlOnHub.RegisterAsync(hub.App.Services, hub.BaseAddress, Acs);

        var refused = await citizen.Client.GetAsync($"/saml/sso/unsolicited?providerId={Uri.EscapeDataString(sp.EntityId)}&target=x");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("does not accept sign-ins started at the hub", WebUtility.HtmlDecode(refused.Body), StringComparison.Ordinal);
        Assert.Null(refused.Hidden("SAMLResponse"));

        // An unknown SP, no SP, and a target past the binding's 80 bytes (for an SP that does accept unsolicited answers).
        var unknown = $"https://nobody-{Guid.NewGuid():N}.agency.example/saml";
        var notRegistered = await citizen.Client.GetAsync($"/saml/sso/unsolicited?providerId={Uri.EscapeDataString(unknown)}");
        Assert.Equal(HttpStatusCode.BadRequest, notRegistered.Status);
        Assert.Contains("not registered at this hub", WebUtility.HtmlDecode(notRegistered.Body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await citizen.Client.GetAsync("/saml/sso/unsolicited")).Status);
        var allowing = await NodeSamlOnHub.RegisterAsync(hub.App.Services, hub.BaseAddress, Acs, spec => spec with { AllowUnsolicited = true });
        var tooLong = await citizen.Client.GetAsync($"/saml/sso/unsolicited?providerId={Uri.EscapeDataString(allowing.EntityId)}&target={new string('t', 81)}");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Null(tooLong.Hidden("SAMLResponse"));

        // A disabled SP is unknown, whatever it was registered with.
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<IdentityHub.Saml.Providers.ServiceProviders>().SetEnabledAsync(allowing.EntityId, false, "tests", CancellationToken.None));
        }

        var disabled = await citizen.Client.GetAsync($"/saml/sso/unsolicited?providerId={Uri.EscapeDataString(allowing.EntityId)}");
        Assert.Equal(HttpStatusCode.BadRequest, disabled.Status);

        await using var check = hub.App.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<HubDbContext>();
        var refusals = await db.AuditEvents.Where(e => e.Type == "saml.request.refused" && (e.Subject == sp.EntityId || e.Subject == unknown || e.Subject == allowing.EntityId))
            .OrderBy(e => e.Sequence).Select(e => new { e.Subject, e.Details }).ToListAsync();
        Assert.Equal(
            new[] { (sp.EntityId, "unsolicited-not-allowed"), (unknown, "unknown-sp"), (allowing.EntityId, "relay-state-too-long"), (allowing.EntityId, "unknown-sp") },
            refusals.Select(r => (r.Subject, JsonDocument.Parse(r.Details).RootElement.GetProperty("code").GetString()!)).ToList());
        Assert.All(refusals, r => Assert.Equal("true", JsonDocument.Parse(r.Details).RootElement.GetProperty("unsolicited").GetString()));
        Assert.False(await db.SamlRequests.AnyAsync(r => r.SpEntityId == sp.EntityId || r.SpEntityId == allowing.EntityId));
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Type == "saml.response.issued" && (e.Subject == sp.EntityId || e.Subject == allowing.EntityId)));
    }

    /// <summary>
    /// xmlsec1 --verify of the one signature at <paramref name="signatureXPath"/>, SAML's ID attributes declared, the key
    /// only from <paramref name="certificate"/>: --enabled-key-data key-name turns off every key the document could carry
    /// (KeyValue, X509Data, RetrievalMethod, EncryptedKey); xmlsec1 1.2.37 has no --lax-key-search to turn off.
    /// </summary>
    private static Task<Openssl.Result> VerifyAsync(string dir, string certificate, string file, string signatureXPath, params string[] extra) =>
        Openssl.RunToolAsync(dir, "xmlsec1", [
            "--verify", "--pubkey-cert-pem", certificate, "--enabled-key-data", "key-name",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--node-xpath", signatureXPath, .. extra, file], TimeSpan.FromSeconds(60));

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
