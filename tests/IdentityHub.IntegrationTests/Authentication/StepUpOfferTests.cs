using System.Net;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// The account page offers to raise the session to level high only when something the citizen has can reach it (a
/// passkey whose attestation the hub trusts, bound at high); a step-up the account cannot make is refused in a warning
/// panel with role=alert, never in the green panel that confirms a success.
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class StepUpOfferTests(PasskeyHubFixture hub)
{
    private const string StepUpLink = "href=\"/account/step-up?level=high&amp;returnUrl=/account\"";

    private string Origin => hub.BrowserAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task Without_an_authenticator_for_high_the_page_does_not_offer_it_and_the_refusal_is_a_warning()
    {
        var citizen = await hub.ActivateWithTotpAsync();

        var account = await citizen.Client.GetAsync("/account");

        Assert.Equal(HttpStatusCode.OK, account.Status);
        Assert.Contains("id=\"session-level\">substantial<", account.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(StepUpLink, account.Body, StringComparison.Ordinal);
        var refused = await citizen.Client.GetAsync("/account/step-up?level=high&returnUrl=/account");
        Assert.Contains("no authenticator accepted for level high", refused.Body, StringComparison.Ordinal);
        Assert.Contains("<div class=\"panel panel-warning\" role=\"alert\" id=\"step-up-problem\">", refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_passkey_accepted_for_high_a_substantial_session_is_offered_high()
    {
        var letter = await hub.IssueCitizenAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.SubmitAsync("/activate", new Dictionary<string, string> { ["NationalId"] = letter.NationalId, ["Code"] = letter.ActivationCode }), "/activate/password", "code");
        CitizenWeb.Expect(await client.SubmitAsync("/activate/password", new Dictionary<string, string> { ["NewPassword"] = CitizenWeb.DefaultPassword, ["ConfirmPassword"] = CitizenWeb.DefaultPassword }), "/account/setup", "password");
        using var certified = new SoftwareAuthenticator(Origin);
        CitizenWeb.Expect(await PasskeyTests.RegisterAsync(client, certified, AttestationKind.PackedCertificate, hub.Vendor, "Security key"), "/account/recovery-codes", "register");
        var secret = await CitizenWeb.AddTotpAsync(client, "/account/totp", "Phone", -1);
        using var later = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await new ActivatedCitizen(later, letter, CitizenWeb.DefaultPassword, secret).LoginAsync(), "/account", "password and app");

        var account = await later.GetAsync("/account");

        Assert.Contains("id=\"session-level\">substantial<", account.Body, StringComparison.Ordinal);
        Assert.Contains(StepUpLink, account.Body, StringComparison.Ordinal);
    }
}
