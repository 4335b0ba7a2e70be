using System.Net;
using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// Passkeys over HTTP with a software authenticator: registration under the attestation policy, passkey-only login,
/// the levels each reaches, and step-up from substantial to high asking only for the passkey.
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class PasskeyTests(PasskeyHubFixture hub)
{
    internal static async Task<WebPage> RegisterAsync(HubWebClient client, SoftwareAuthenticator authenticator, AttestationKind kind, AttestationIssuer? issuer, string name = "Key")
    {
        var (challenge, options) = await client.PasskeyOptionsAsync("/account/passkey");
        return await client.PostPasskeyAsync("/account/passkey", "Register", challenge, authenticator.Register(options, kind, issuer),
            new Dictionary<string, string> { ["Name"] = name });
    }

    internal static async Task<WebPage> PasskeyLoginAsync(HubWebClient client, SoftwareAuthenticator authenticator, WebAuthnTweaks? tweaks = null, string query = "")
    {
        var (challenge, options) = await client.PasskeyOptionsAsync("/login" + query);
        return await client.PostPasskeyAsync("/login" + query, "Passkey", challenge, authenticator.Assert(options, tweaks));
    }

    private static async Task<string> LevelAsync(HubWebClient client)
    {
        var page = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return System.Text.RegularExpressions.Regex.Match(page.Body, "id=\"session-level\">([a-z ]+)<").Groups[1].Value;
    }

    [Fact]
    public async Task A_passkey_without_attestation_signs_in_alone_at_substantial_and_one_the_hub_trusts_at_high()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var plain = new SoftwareAuthenticator(hub.Origin);
        using var certified = new SoftwareAuthenticator(hub.Origin);
        CitizenWeb.Expect(await RegisterAsync(citizen.Client, plain, AttestationKind.None, null, "Laptop"), "/account", "register none");
        CitizenWeb.Expect(await RegisterAsync(citizen.Client, certified, AttestationKind.PackedCertificate, hub.Vendor, "Security key"), "/account", "register packed");

        using var first = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await PasskeyLoginAsync(first, plain), "/account", "login none");
        Assert.Equal("substantial", await LevelAsync(first));

        using var second = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await PasskeyLoginAsync(second, certified), "/account", "login packed");
        Assert.Equal("high", await LevelAsync(second));

        var high = await hub.LastAsync(citizen.Letter.NationalId, "auth.login.succeeded");
        Assert.Contains("\"methods\":\"passkey-uv-attested\"", high, StringComparison.Ordinal);
        Assert.Contains("\"amr\":\"hwk user mfa\"", high, StringComparison.Ordinal);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var details = await scope.ServiceProvider.GetRequiredService<HubDbContext>().PasskeyDetails.AsNoTracking()
            .Where(d => d.CredentialId == certified.CredentialId || d.CredentialId == plain.CredentialId).ToListAsync();
        Assert.Contains(details, d => d.AttestationFormat == "packed" && d.AttestationTrusted && d.Aaguid == SoftwareAuthenticator.TestAaguid && d.AttestationAnchor!.Contains("Test Authenticator Vendor Root", StringComparison.Ordinal));
        Assert.Contains(details, d => d.AttestationFormat == "none" && !d.AttestationTrusted);
    }

    [Theory]
    [InlineData(AttestationKind.PackedSelf, false)]
    [InlineData(AttestationKind.FidoU2f, true)]
    public async Task Self_attestation_is_not_trusted_and_fido_u2f_from_the_trusted_vendor_is(AttestationKind kind, bool trusted)
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var authenticator = new SoftwareAuthenticator(hub.Origin);

        CitizenWeb.Expect(await RegisterAsync(citizen.Client, authenticator, kind, hub.Vendor), "/account", "register");

        var added = await hub.LastAsync(citizen.Letter.NationalId, "auth.factor.added");
        Assert.Contains($"\"attestationTrusted\":\"{(trusted ? "true" : "false")}\"", added, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attestation_from_a_vendor_the_hub_does_not_trust_registers_but_only_for_substantial()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var authenticator = new SoftwareAuthenticator(hub.Origin);
        CitizenWeb.Expect(await RegisterAsync(citizen.Client, authenticator, AttestationKind.PackedCertificate, hub.Stranger), "/account", "register");

        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await PasskeyLoginAsync(client, authenticator), "/account", "login");

        Assert.Equal("substantial", await LevelAsync(client));
        Assert.Contains("\"attestationTrusted\":\"false\"", await hub.LastAsync(citizen.Letter.NationalId, "auth.factor.added"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_up_from_substantial_to_high_asks_only_for_the_trusted_passkey()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var certified = new SoftwareAuthenticator(hub.Origin);
        CitizenWeb.Expect(await RegisterAsync(citizen.Client, certified, AttestationKind.PackedCertificate, hub.Vendor), "/account", "register");
        using var client = new HubWebClient(hub.BaseAddress);
        var session = new ActivatedCitizen(client, citizen.Letter, citizen.Password, citizen.TotpSecret);
        CitizenWeb.Expect(await session.LoginAsync(), "/account", "login");
        Assert.Equal("substantial", await LevelAsync(client));

        var stepUp = await client.GetAsync("/account/step-up?level=high&returnUrl=/account");
        CitizenWeb.Expect(stepUp, "/login/verify", "step-up");
        var verify = await client.GetAsync("/login/verify");
        Assert.Contains("Confirm it is you again", verify.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("6-digit code", verify.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Password\"", verify.Body, StringComparison.Ordinal);
        var (challenge, options) = await client.PasskeyOptionsAsync("/login/verify");
        var done = await client.PostPasskeyAsync("/login/verify", "Passkey", challenge, certified.Assert(options));

        CitizenWeb.Expect(done, "/account", "step-up passkey");
        Assert.Equal("high", await LevelAsync(client));
        var stepped = await hub.LastAsync(citizen.Letter.NationalId, "auth.stepup.succeeded");
        Assert.Contains("\"methods\":\"pwd otp passkey-uv-attested\"", stepped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_up_to_high_without_a_trusted_passkey_says_what_is_missing()
    {
        var citizen = await hub.ActivateWithTotpAsync();

        var stepUp = await citizen.Client.GetAsync("/account/step-up?level=high&returnUrl=/account");

        Assert.Equal(HttpStatusCode.OK, stepUp.Status);
        Assert.Contains("no authenticator accepted for level high", stepUp.Body, StringComparison.Ordinal);
        Assert.Contains("level-unreachable", await hub.LastAsync(citizen.Letter.NationalId, "auth.login.failed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passkeys_can_be_renamed_and_removed_but_not_the_last_second_factor()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var authenticator = new SoftwareAuthenticator(hub.Origin);
        CitizenWeb.Expect(await RegisterAsync(citizen.Client, authenticator, AttestationKind.None, null, "Old name"), "/account", "register");
        var id = authenticator.CredentialIdText;

        var rename = await citizen.Client.SubmitAsync($"/account/rename?kind=passkey&id={id}", new Dictionary<string, string> { ["Kind"] = "passkey", ["Id"] = id, ["Name"] = "Work laptop" });
        CitizenWeb.Expect(rename, "/account", "rename");
        Assert.Contains("Work laptop", (await citizen.Client.GetAsync("/account")).Body, StringComparison.Ordinal);

        var totpId = await TotpIdAsync(citizen.Letter.NationalId);
        CitizenWeb.Expect(await RemoveAsync(citizen.Client, "totp", totpId), "/account", "remove TOTP");
        var last = await RemoveAsync(citizen.Client, "passkey", id);

        Assert.Equal(HttpStatusCode.OK, last.Status);
        Assert.Contains("This is your last way to sign in at your level", last.Body, StringComparison.Ordinal);
        var events = (await hub.EventsAsync(citizen.Letter.NationalId)).Select(e => e.Type).ToList();
        Assert.Contains("auth.factor.renamed", events);
        Assert.Single(events, e => e == "auth.factor.removed");
    }

    private static async Task<WebPage> RemoveAsync(HubWebClient client, string kind, string id) =>
        await client.SubmitAsync("/account", new Dictionary<string, string> { ["Kind"] = kind, ["Id"] = id }, "/account?handler=Remove");

    private async Task<string> TotpIdAsync(string nationalId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var account = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == nationalId);
        return (await db.TotpAuthenticators.AsNoTracking().SingleAsync(t => t.AccountId == account.Id)).Id.ToString();
    }
}
