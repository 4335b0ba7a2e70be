using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// Answers whose JSON says two things at once. Identity's passkey handler reads member names without regard to case and
/// keeps the last of two equal names; any second reader that picks another member would judge a different answer than
/// the one whose signature was verified. Every such answer is refused before anything reads it, and the flags that set
/// the level come from what the handler verified. Each answer is a valid one, signed by the software authenticator,
/// with one member added.
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class PasskeyStrictJsonTests(PasskeyHubFixture hub)
{
    /// <summary>
    /// The real answer of an authenticator that did not verify its user goes under "Response" (the handler reads it: it
    /// is the last of the two names that differ only by case); beside it, under "response", the same answer with the
    /// UV flag set in its authenticator data (its signature no longer verifies, but a reader that matches names exactly
    /// takes its flags from it).
    /// </summary>
    internal static string WithForgedUserVerification(string credentialJson)
    {
        var real = JsonNode.Parse(credentialJson)!.AsObject();
        var response = real["response"]!.AsObject();
        var forged = response.DeepClone().AsObject();
        var authenticatorData = WebEncoders.Base64UrlDecode(forged["authenticatorData"]!.GetValue<string>());
        authenticatorData[32] |= 0x04;
        forged["authenticatorData"] = WebEncoders.Base64UrlEncode(authenticatorData);
        var crafted = new JsonObject();
        foreach (var (name, value) in real)
        {
            if (name != "response")
            {
                crafted[name] = value?.DeepClone();
            }
        }

        crafted["response"] = forged;
        crafted["Response"] = response.DeepClone();
        return crafted.ToJsonString();
    }

    private Task AssertRefusedAsync(WebPage answer, string subject, string auditType = "auth.passkey.assertion-failed") =>
        hub.AssertRefusedAsync(answer, subject, "could not be verified", "duplicate-member", auditType);

    [Fact]
    public async Task A_forged_user_verification_beside_the_real_answer_does_not_sign_in_with_a_passkey_alone()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        var (challenge, options) = await client.PasskeyOptionsAsync("/login");
        var crafted = WithForgedUserVerification(authenticator.Assert(options, new WebAuthnTweaks { UserVerified = false }));

        var answer = await client.PostPasskeyAsync("/login", "Passkey", challenge, crafted);

        // Refused before the answer is read: nothing names the account yet.
        await AssertRefusedAsync(answer, "unknown");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/account")).Status);
        Assert.DoesNotContain(await hub.EventsAsync(citizen.Letter.NationalId), e => e.Type == "auth.login.succeeded" && e.Details.Contains("passkey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forged_user_verification_beside_the_real_answer_does_not_step_up_to_high()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync(AttestationKind.PackedCertificate);
        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await new ActivatedCitizen(client, citizen.Letter, citizen.Password, citizen.TotpSecret).LoginAsync(), "/account", "login");
        CitizenWeb.Expect(await client.GetAsync("/account/step-up?level=high&returnUrl=/account"), "/login/verify", "step-up");
        var (challenge, options) = await client.PasskeyOptionsAsync("/login/verify");
        var crafted = WithForgedUserVerification(authenticator.Assert(options, new WebAuthnTweaks { UserVerified = false }));

        var answer = await client.PostPasskeyAsync("/login/verify", "Passkey", challenge, crafted);

        await AssertRefusedAsync(answer, citizen.Letter.NationalId);
        Assert.Contains("id=\"session-level\">substantial<", (await client.GetAsync("/account")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_options_ask_for_user_verification_where_the_level_needs_it()
    {
        var (citizen, _) = await hub.CitizenWithPasskeyAsync(AttestationKind.PackedCertificate);
        using var client = new HubWebClient(hub.BaseAddress);
        var (_, alone) = await client.PasskeyOptionsAsync("/login");
        CitizenWeb.Expect(await client.PasswordAsync(citizen.Letter.NationalId, citizen.Password), "/login/verify", "password");
        var (_, second) = await client.PasskeyOptionsAsync("/login/verify");
        using var high = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await high.PasswordAsync(citizen.Letter.NationalId, citizen.Password, "?level=high"), "/login/verify", "password");
        var (_, forHigh) = await high.PasskeyOptionsAsync("/login/verify");

        Assert.Equal("required", JsonNode.Parse(alone)!["userVerification"]!.GetValue<string>());
        Assert.Equal("preferred", JsonNode.Parse(second)!["userVerification"]!.GetValue<string>());
        Assert.Equal("required", JsonNode.Parse(forHigh)!["userVerification"]!.GetValue<string>());
    }

    public static TheoryData<string, string> Duplicates => new()
    {
        // A second id before the real one (the handler keeps the last).
        { "top level", "{\"id\":\"AAAA\"," },
        { "top level, differing by case", "{\"TYPE\":\"public-key\"," },
        { "nested", "\"response\":{\"signature\":\"AAAA\"," },
        { "nested, differing by case", "\"response\":{\"ClientDataJson\":\"AAAA\"," },
        { "nested, the name escaped", "\"response\":{\"\\u0061uthenticatorData\":\"AAAA\"," },
    };

    [Theory]
    [MemberData(nameof(Duplicates))]
    public async Task An_assertion_with_a_member_twice_is_refused(string where, string insertion)
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        var (challenge, options) = await client.PasskeyOptionsAsync("/login");
        var valid = authenticator.Assert(options);
        var crafted = insertion.StartsWith('{')
            ? insertion + valid[1..]
            : valid.Replace("\"response\":{", insertion, StringComparison.Ordinal);
        Assert.NotEqual(valid, crafted);

        var answer = await client.PostPasskeyAsync("/login", "Passkey", challenge, crafted);

        Assert.True(answer.Status == HttpStatusCode.OK, where);
        await AssertRefusedAsync(answer, "unknown");
    }

    [Fact]
    public async Task A_registration_with_a_member_twice_is_refused_and_nothing_is_stored()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var authenticator = new SoftwareAuthenticator(hub.Origin);
        var (challenge, options) = await citizen.Client.PasskeyOptionsAsync("/account/passkey");
        var valid = authenticator.Register(options);
        var crafted = valid.Replace("\"response\":{", "\"response\":{\"AttestationObject\":\"AAAA\",", StringComparison.Ordinal);

        var answer = await citizen.Client.PostPasskeyAsync("/account/passkey", "Register", challenge, crafted, new Dictionary<string, string> { ["Name"] = "Twice" });

        await AssertRefusedAsync(answer, citizen.Letter.NationalId, "auth.passkey.registration-failed");
        Assert.DoesNotContain("Twice", (await citizen.Client.GetAsync("/account")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_answer_without_the_extra_member_signs_in()
    {
        var (_, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);

        CitizenWeb.Expect(await PasskeyTests.PasskeyLoginAsync(client, authenticator), "/account", "passkey login");

        Assert.Contains("id=\"session-level\">substantial<", (await client.GetAsync("/account")).Body, StringComparison.Ordinal);
    }
}
