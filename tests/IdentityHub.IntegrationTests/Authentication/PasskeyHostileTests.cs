using System.Net;
using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// Hostile passkey answers, each made by changing one thing in a valid answer and signing it as an authenticator
/// would: every one is refused with a clear message and an audit entry naming why, and each test would pass the
/// login if the hub's check were removed.
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class PasskeyHostileTests(PasskeyHubFixture hub)
{
    [Fact]
    public async Task An_answer_from_another_origin_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);

        var answer = await PasskeyTests.PasskeyLoginAsync(client, authenticator, new WebAuthnTweaks { Origin = "https://login.evil.example" });

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "could not be verified", "invalid origin");
    }

    [Fact]
    public async Task An_answer_from_a_cross_origin_frame_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);

        var answer = await PasskeyTests.PasskeyLoginAsync(client, authenticator, new WebAuthnTweaks { CrossOrigin = true });

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "could not be verified", "invalid origin");
    }

    [Fact]
    public async Task An_answer_for_another_relying_party_id_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);

        var answer = await PasskeyTests.PasskeyLoginAsync(client, authenticator, new WebAuthnTweaks { RpId = "evil.example" });

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "could not be verified", "Relying Party ID hash");
    }

    [Fact]
    public async Task Another_users_passkey_is_refused_as_a_second_factor()
    {
        var (victim, _) = await hub.CitizenWithPasskeyAsync();
        var (_, attackerKey) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.PasswordAsync(victim.Letter.NationalId, victim.Password), "/login/verify", "password");

        var (challenge, options) = await client.PasskeyOptionsAsync("/login/verify");
        var answer = await client.PostPasskeyAsync("/login/verify", "Passkey", challenge, attackerKey.Assert(options));

        await hub.AssertRefusedAsync(answer, victim.Letter.NationalId, "could not be verified", "does not belong to the specified user");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/account")).Status);
    }

    [Fact]
    public async Task A_passkey_claiming_another_users_handle_is_refused()
    {
        var (victim, _) = await hub.CitizenWithPasskeyAsync();
        var (attacker, attackerKey) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);

        var answer = await PasskeyTests.PasskeyLoginAsync(client, attackerKey, new WebAuthnTweaks { UserHandle = await AccountIdAsync(victim.Letter.NationalId) });

        // Refused whoever it is recorded against: the passkey (the attacker's) names who tried.
        await hub.AssertRefusedAsync(answer, attacker.Letter.NationalId, "could not be verified", "does not belong");
    }

    [Fact]
    public async Task An_answer_with_the_user_presence_bit_cleared_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);

        var answer = await PasskeyTests.PasskeyLoginAsync(client, authenticator, new WebAuthnTweaks { UserPresent = false });

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "could not be verified", "UserPresent");
    }

    [Fact]
    public async Task A_passkey_alone_without_user_verification_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);

        var answer = await PasskeyTests.PasskeyLoginAsync(client, authenticator, new WebAuthnTweaks { UserVerified = false });

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "did not confirm it is you", "user-verification-missing");
    }

    [Fact]
    public async Task User_verification_missing_where_high_is_required_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync(AttestationKind.PackedCertificate);
        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.PasswordAsync(citizen.Letter.NationalId, citizen.Password, "?level=high"), "/login/verify", "password");

        var (challenge, options) = await client.PasskeyOptionsAsync("/login/verify");
        var answer = await client.PostPasskeyAsync("/login/verify", "Passkey", challenge, authenticator.Assert(options, new WebAuthnTweaks { UserVerified = false }));

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "did not confirm it is you", "user-verification-missing");
    }

    [Fact]
    public async Task A_signature_counter_that_goes_back_is_refused_flagged_and_audited()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using (var first = new HubWebClient(hub.BaseAddress))
        {
            CitizenWeb.Expect(await PasskeyTests.PasskeyLoginAsync(first, authenticator, new WebAuthnTweaks { SignCount = 10 }), "/account", "login");
        }

        using var client = new HubWebClient(hub.BaseAddress);
        var answer = await PasskeyTests.PasskeyLoginAsync(client, authenticator, new WebAuthnTweaks { SignCount = 7 });

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "its counter went backwards", "\"presentedSignCount\":\"7\"", "auth.passkey.sign-count-regression");
        await using var scope = hub.App.Services.CreateAsyncScope();
        var details = await scope.ServiceProvider.GetRequiredService<HubDbContext>().PasskeyDetails.AsNoTracking().SingleAsync(d => d.CredentialId == authenticator.CredentialId);
        Assert.Equal(1, details.SignCountRegressions);
    }

    [Fact]
    public async Task A_tampered_clientDataJSON_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);

        // The challenge, type and origin stay right; one added member makes the signed hash differ.
        var answer = await PasskeyTests.PasskeyLoginAsync(client, authenticator,
            new WebAuthnTweaks { TamperClientData = json => json.TrimEnd('}') + ",\"tokenBinding\":{\"status\":\"not-supported\"}}" });

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "could not be verified", "signature");
    }

    [Fact]
    public async Task An_answer_replayed_to_the_same_challenge_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        var (challenge, options) = await client.PasskeyOptionsAsync("/login");
        var credential = authenticator.Assert(options);
        CitizenWeb.Expect(await client.PostPasskeyAsync("/login", "Passkey", challenge, credential), "/account", "first answer");

        using var replayer = new HubWebClient(hub.BaseAddress);
        var replay = await replayer.PostPasskeyAsync("/login", "Passkey", challenge, credential);

        await hub.AssertRefusedAsync(replay, "unknown", "was used already or is not valid", "challenge-unknown-or-used");
    }

    [Fact]
    public async Task An_answer_to_an_expired_challenge_is_refused()
    {
        var (citizen, authenticator) = await hub.CitizenWithPasskeyAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        var (challenge, options) = await client.PasskeyOptionsAsync("/login");
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HubDbContext>().WebAuthnChallenges.Where(c => c.Id == challenge)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        var answer = await client.PostPasskeyAsync("/login", "Passkey", challenge, authenticator.Assert(options));

        await hub.AssertRefusedAsync(answer, "unknown", "The passkey request expired", "challenge-expired");
    }

    [Fact]
    public async Task A_registration_whose_attestation_signature_does_not_verify_is_refused()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var authenticator = new SoftwareAuthenticator(hub.Origin);
        var (challenge, options) = await citizen.Client.PasskeyOptionsAsync("/account/passkey");
        var credential = authenticator.Register(options, AttestationKind.PackedCertificate, hub.Vendor);
        // Flip one byte inside the attestation signature (it sits before x5c in the CBOR map).
        var forged = FlipAttestationSignatureByte(credential);

        var answer = await citizen.Client.PostPasskeyAsync("/account/passkey", "Register", challenge, forged, new Dictionary<string, string> { ["Name"] = "Forged" });

        await hub.AssertRefusedAsync(answer, citizen.Letter.NationalId, "attestation", "attestation-invalid", "auth.passkey.registration-failed");
        await using var scope = hub.App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<HubDbContext>().UserPasskeys.AnyAsync(p => p.CredentialId == authenticator.CredentialId));
    }

    [Fact]
    public async Task A_registration_answer_replayed_is_refused()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var authenticator = new SoftwareAuthenticator(hub.Origin);
        var (challenge, options) = await citizen.Client.PasskeyOptionsAsync("/account/passkey");
        var credential = authenticator.Register(options);
        CitizenWeb.Expect(await citizen.Client.PostPasskeyAsync("/account/passkey", "Register", challenge, credential), "/account", "register");

        var replay = await citizen.Client.PostPasskeyAsync("/account/passkey", "Register", challenge, credential);

        await hub.AssertRefusedAsync(replay, citizen.Letter.NationalId, "was used already or is not valid", "challenge-unknown-or-used", "auth.passkey.registration-failed");
    }

    private async Task<string> AccountIdAsync(string nationalId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.AsNoTracking().SingleAsync(u => u.UserName == nationalId)).Id.ToString();
    }

    private static string FlipAttestationSignatureByte(string credentialJson)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(credentialJson)!;
        var attestation = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(node["response"]!["attestationObject"]!.GetValue<string>());
        var sig = System.Text.Encoding.ASCII.GetBytes("sig");
        var at = attestation.AsSpan().IndexOf(sig);
        // "sig" is followed by a byte-string header (0x58 len); the DER signature starts after it.
        attestation[at + 3 + 2 + 10] ^= 0x01;
        node["response"]!["attestationObject"] = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(attestation);
        return node.ToJsonString();
    }
}
