using System.Net;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.Signing.Activation;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// The activation page (/sign/activate/{id}): it shows each document's name, size and SHA-256, the certificate and the
/// agency, only to the citizen the activation is for, and confirms it with a TOTP code or a passkey over the derived
/// challenge, then returns to a local URL only.
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class ActivationPageTests(PasskeyHubFixture hub)
{
    private static readonly DocumentToSign Contract = ActivationDriver.Document("contract.pdf", "the contract");
    private static readonly DocumentToSign Annex = ActivationDriver.Document("annex.pdf", "the annex, longer");

    [Fact]
    public async Task The_page_shows_the_documents_to_their_citizen_only_and_a_TOTP_code_confirms_and_returns_to_the_local_URL()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var account = await hub.AccountAsync(citizen.Letter.NationalId);
        var activation = await hub.PrepareAsync(account.Id, Contract, Annex);
        var path = $"/sign/activate/{activation.Id}?returnUrl=%2Faccount%2Fconsents";

        var page = await citizen.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var body = WebUtility.HtmlDecode(page.Body);
        Assert.Contains("contract.pdf", body, StringComparison.Ordinal);
        Assert.Contains("annex.pdf", body, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(Contract.Hash), body, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(Annex.Hash), body, StringComparison.Ordinal);
        Assert.Contains(activation.CertificateSerial, body, StringComparison.Ordinal);
        Assert.Contains("agency-tests", body, StringComparison.Ordinal);

        var stranger = await hub.ActivateWithTotpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(path)).Status);

        await CitizenWeb.AwayFromAStepBoundaryAsync();
        var code = citizen.NextCode();
        var wrong = await citizen.Client.PostAsync($"/sign/activate/{activation.Id}?handler=Totp",
            new Dictionary<string, string> { ["Code"] = code == "000000" ? "111111" : "000000", ["ReturnUrl"] = "/account/consents" }, HubWebClient.TokenOf(page.Body));
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("did not confirm", WebUtility.HtmlDecode(wrong.Body), StringComparison.Ordinal);

        var confirmed = await citizen.Client.PostAsync($"/sign/activate/{activation.Id}?handler=Totp",
            new Dictionary<string, string> { ["Code"] = code, ["ReturnUrl"] = "/account/consents" }, HubWebClient.TokenOf(page.Body));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        Assert.Equal("/account/consents", confirmed.Location);
        Assert.True((await hub.OpenGateAsync(activation.Id, account.Id, activation.Hashes())).Succeeded);
        Assert.Contains("id=\"not-pending\"", (await citizen.Client.GetAsync(path)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passkey_on_the_page_confirms_and_a_return_URL_off_the_hub_is_replaced_by_the_account_page()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var _ = authenticator;
        var account = await hub.AccountAsync(citizen.Letter.NationalId);
        var activation = await hub.PrepareAsync(account.Id, Contract);
        var path = $"/sign/activate/{activation.Id}";

        var (challengeId, options) = await citizen.Client.PasskeyOptionsAsync(path);
        var answer = await citizen.Client.PostPasskeyAsync(path, "Passkey", challengeId, authenticator.Assert(options),
            new Dictionary<string, string> { ["ReturnUrl"] = "https://evil.example/steal" });
        Assert.Equal(HttpStatusCode.Redirect, answer.Status);
        Assert.Equal("/account", answer.Location);
        Assert.True((await hub.OpenGateAsync(activation.Id, account.Id, activation.Hashes())).Succeeded);
    }
}
