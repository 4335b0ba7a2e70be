using System.Net;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// NIST SP 800-63B §6.1.2.1: adding or removing an authenticator needs a session at the level that authenticator gives.
/// A passkey never counts above the level of the session that bound it; the session that added it does not rise above
/// its own level; the set-up session opened by the activation letter binds at high; removing a high passkey needs a
/// high session. Every change leaves a notice for the citizen beside its audit event.
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class AuthenticatorBindingTests(PasskeyHubFixture hub)
{
    private static async Task<string> LevelAsync(HubWebClient client)
    {
        var page = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return System.Text.RegularExpressions.Regex.Match(page.Body, "id=\"session-level\">([a-z ]+)<").Groups[1].Value;
    }

    private async Task<string?> BoundAtAsync(SoftwareAuthenticator authenticator)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().PasskeyDetails.AsNoTracking()
            .Where(d => d.CredentialId == authenticator.CredentialId).Select(d => d.BoundAtLevel).SingleAsync();
    }

    private static async Task<HubWebClient> SubstantialSessionAsync(HubFixture hub, ActivatedCitizen citizen)
    {
        var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await new ActivatedCitizen(client, citizen.Letter, citizen.Password, citizen.TotpSecret).LoginAsync(), "/account", "login");
        return client;
    }

    [Fact]
    public async Task An_attested_passkey_added_in_a_substantial_session_keeps_it_substantial_and_later_gives_only_substantial()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var client = await SubstantialSessionAsync(hub, citizen);
        Assert.Equal("substantial", await LevelAsync(client));
        using var certified = new SoftwareAuthenticator(hub.Origin);

        CitizenWeb.Expect(await PasskeyTests.RegisterAsync(client, certified, AttestationKind.PackedCertificate, hub.Vendor, "Security key"), "/account", "register");

        Assert.Equal("substantial", await LevelAsync(client));
        Assert.Equal(LevelsOfAssurance.SubstantialUri, await BoundAtAsync(certified));
        Assert.Contains("\"attestationTrusted\":\"true\"", await hub.LastAsync(citizen.Letter.NationalId, "auth.factor.added"), StringComparison.Ordinal);
        using var later = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await PasskeyTests.PasskeyLoginAsync(later, certified), "/account", "passkey login");
        Assert.Equal("substantial", await LevelAsync(later));
        Assert.Contains("\"methods\":\"passkey-uv\"", await hub.LastAsync(citizen.Letter.NationalId, "auth.login.succeeded"), StringComparison.Ordinal);
        var stepUp = await later.GetAsync("/account/step-up?level=high&returnUrl=/account");
        Assert.Contains("no authenticator accepted for level high", stepUp.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passkey_added_in_the_set_up_session_of_the_activation_letter_reaches_high()
    {
        var letter = await hub.IssueCitizenAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.SubmitAsync("/activate", new Dictionary<string, string> { ["NationalId"] = letter.NationalId, ["Code"] = letter.ActivationCode }), "/activate/password", "code");
        CitizenWeb.Expect(await client.SubmitAsync("/activate/password", new Dictionary<string, string> { ["NewPassword"] = CitizenWeb.DefaultPassword, ["ConfirmPassword"] = CitizenWeb.DefaultPassword }), "/account/setup", "password");
        using var certified = new SoftwareAuthenticator(hub.Origin);

        CitizenWeb.Expect(await PasskeyTests.RegisterAsync(client, certified, AttestationKind.PackedCertificate, hub.Vendor, "Security key"), "/account/recovery-codes", "register");

        Assert.Equal("high", await LevelAsync(client));
        Assert.Equal(LevelsOfAssurance.HighUri, await BoundAtAsync(certified));
        Assert.Contains("\"methods\":\"pwd activation-code\"", await hub.LastAsync(letter.NationalId, "auth.login.succeeded"), StringComparison.Ordinal);
        using var later = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await PasskeyTests.PasskeyLoginAsync(later, certified), "/account", "passkey login");
        Assert.Equal("high", await LevelAsync(later));
    }

    [Fact]
    public async Task Removing_a_high_passkey_from_a_substantial_session_asks_for_high_first()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var certified = new SoftwareAuthenticator(hub.Origin);
        CitizenWeb.Expect(await PasskeyTests.RegisterAsync(citizen.Client, certified, AttestationKind.PackedCertificate, hub.Vendor, "Security key"), "/account", "register");
        using var client = await SubstantialSessionAsync(hub, citizen);
        var remove = new Dictionary<string, string> { ["Kind"] = "passkey", ["Id"] = certified.CredentialIdText };

        var refused = await client.SubmitAsync("/account", remove, "/account?handler=Remove");

        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.StartsWith("/account/step-up?level=high", refused.Location, StringComparison.Ordinal);
        Assert.DoesNotContain(await hub.EventsAsync(citizen.Letter.NationalId), e => e.Type == "auth.factor.removed");
        Assert.Contains("Security key", (await client.GetAsync("/account")).Body, StringComparison.Ordinal);

        CitizenWeb.Expect(await client.GetAsync(refused.Location!), "/login/verify", "step-up");
        var (challenge, options) = await client.PasskeyOptionsAsync("/login/verify");
        CitizenWeb.Expect(await client.PostPasskeyAsync("/login/verify", "Passkey", challenge, certified.Assert(options)), "/account", "step-up passkey");
        Assert.Equal("high", await LevelAsync(client));
        CitizenWeb.Expect(await client.SubmitAsync("/account", remove, "/account?handler=Remove"), "/account", "remove at high");
        Assert.Contains("\"name\":\"Security key\"", await hub.LastAsync(citizen.Letter.NationalId, "auth.factor.removed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_addition_rename_and_removal_leaves_a_notice_beside_its_audit_event_shown_on_the_account_page()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var laptop = new SoftwareAuthenticator(hub.Origin);
        CitizenWeb.Expect(await PasskeyTests.RegisterAsync(citizen.Client, laptop, AttestationKind.None, null, "Laptop"), "/account", "register");
        CitizenWeb.Expect(await citizen.Client.SubmitAsync($"/account/rename?kind=passkey&id={laptop.CredentialIdText}",
            new Dictionary<string, string> { ["Kind"] = "passkey", ["Id"] = laptop.CredentialIdText, ["Name"] = "Work laptop" }), "/account", "rename");
        string totpId;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var accountId = (await db.Users.AsNoTracking().SingleAsync(u => u.UserName == citizen.Letter.NationalId)).Id;
            totpId = (await db.TotpAuthenticators.AsNoTracking().SingleAsync(t => t.AccountId == accountId)).Id.ToString();
        }

        CitizenWeb.Expect(await citizen.Client.SubmitAsync("/account", new Dictionary<string, string> { ["Kind"] = "totp", ["Id"] = totpId }, "/account?handler=Remove"), "/account", "remove");

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var accountId = (await db.Users.AsNoTracking().SingleAsync(u => u.UserName == citizen.Letter.NationalId)).Id;
            var notices = await db.AccountNotices.AsNoTracking().Where(n => n.AccountId == accountId).OrderBy(n => n.Id).ToListAsync();
            Assert.Equal(["factor-added", "factor-added", "factor-renamed", "factor-removed"], notices.Select(n => n.Kind));
            Assert.Equal("Work laptop", IdentityHub.Data.Accounts.AccountNotices.DetailsOf(notices[2])["name"]);
        }

        var events = (await hub.EventsAsync(citizen.Letter.NationalId)).Select(e => e.Type).ToList();
        Assert.Equal(2, events.Count(e => e == "auth.factor.added"));
        Assert.Single(events, e => e == "auth.factor.renamed");
        Assert.Single(events, e => e == "auth.factor.removed");
        var page = WebUtility.HtmlDecode((await citizen.Client.GetAsync("/account")).Body);
        Assert.Contains("Recent security activity", page, StringComparison.Ordinal);
        var removed = page.IndexOf("Authenticator app “Phone” was removed.", StringComparison.Ordinal);
        var renamed = page.IndexOf("A passkey was renamed to “Work laptop”.", StringComparison.Ordinal);
        var added = page.IndexOf("Passkey “Laptop” was added.", StringComparison.Ordinal);
        Assert.True(removed >= 0 && renamed > removed && added > renamed, "newest first: removed, renamed, added");
        Assert.Contains("Authenticator app “Phone” was added.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_set_up_session_opened_by_a_password_alone_cannot_add_an_authenticator()
    {
        var letter = await hub.IssueCitizenAsync();
        using (var first = new HubWebClient(hub.BaseAddress))
        {
            CitizenWeb.Expect(await first.SubmitAsync("/activate", new Dictionary<string, string> { ["NationalId"] = letter.NationalId, ["Code"] = letter.ActivationCode }), "/activate/password", "code");
            CitizenWeb.Expect(await first.SubmitAsync("/activate/password", new Dictionary<string, string> { ["NewPassword"] = CitizenWeb.DefaultPassword, ["ConfirmPassword"] = CitizenWeb.DefaultPassword }), "/account/setup", "password");
        }

        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.PasswordAsync(letter.NationalId, CitizenWeb.DefaultPassword), "/account", "password alone");

        var setup = WebUtility.HtmlDecode((await client.GetAsync("/account/setup")).Body);
        var totp = WebUtility.HtmlDecode((await client.GetAsync("/account/totp")).Body);

        Assert.Contains("new activation letter", setup, StringComparison.Ordinal);
        Assert.Contains("new activation letter", totp, StringComparison.Ordinal);
        Assert.DoesNotContain("totp-secret", totp, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PasskeyOptionsAsync("/account/passkey"));
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var accountId = (await db.Users.AsNoTracking().SingleAsync(u => u.UserName == letter.NationalId)).Id;
        Assert.False(await db.TotpAuthenticators.AnyAsync(t => t.AccountId == accountId));
    }
}
