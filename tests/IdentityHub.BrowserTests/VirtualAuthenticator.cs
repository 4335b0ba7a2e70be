using System.Text.Json;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>
/// Chromium's virtual WebAuthn authenticator through the DevTools protocol's WebAuthn domain: a CTAP2 authenticator
/// with resident keys and user verification, as a phone or security key behaves, whose flags a test can turn off.
/// </summary>
public sealed class VirtualAuthenticator
{
    private readonly ICDPSession _cdp;

    private VirtualAuthenticator(ICDPSession cdp, string id)
    {
        _cdp = cdp;
        Id = id;
    }

    public string Id { get; }

    /// <param name="protocol">"ctap2" (a FIDO2 authenticator) or "u2f" (a U2F security key).</param>
    /// <param name="transport">"internal" (platform authenticator), "usb", "nfc" or "ble".</param>
    public static async Task<VirtualAuthenticator> AddAsync(IBrowserContext context, IPage page, string protocol = "ctap2", string transport = "internal")
    {
        ArgumentNullException.ThrowIfNull(context);
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        var options = new Dictionary<string, object>
        {
            ["protocol"] = protocol,
            ["transport"] = transport,
            ["hasResidentKey"] = protocol == "ctap2",
            ["hasUserVerification"] = protocol == "ctap2",
            ["isUserVerified"] = protocol == "ctap2",
            ["automaticPresenceSimulation"] = true,
        };
        if (protocol == "ctap2")
        {
            options["ctap2Version"] = "ctap2_1";
        }

        var result = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object> { ["options"] = options });
        return new VirtualAuthenticator(cdp, result!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>Whether the next ceremonies verify the user (PIN or biometrics).</summary>
    public Task SetUserVerifiedAsync(bool verified) =>
        _cdp.SendAsync("WebAuthn.setUserVerified", new Dictionary<string, object> { ["authenticatorId"] = Id, ["isUserVerified"] = verified });

    /// <summary>Makes the authenticator's responses lie: a bogus signature, or the UV or UP flag cleared.</summary>
    public Task SetResponseOverrideBitsAsync(bool bogusSignature = false, bool badUserVerification = false, bool badUserPresence = false) =>
        _cdp.SendAsync("WebAuthn.setResponseOverrideBits", new Dictionary<string, object>
        {
            ["authenticatorId"] = Id,
            ["isBogusSignature"] = bogusSignature,
            ["isBadUV"] = badUserVerification,
            ["isBadUP"] = badUserPresence,
        });

    public async Task<IReadOnlyList<JsonElement>> CredentialsAsync()
    {
        var result = await _cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = Id });
        return result!.Value.GetProperty("credentials").EnumerateArray().ToList();
    }

    /// <summary>Puts a credential back as it was (e.g. with an old sign count, as a cloned authenticator would be).</summary>
    public Task AddCredentialAsync(JsonElement credential) =>
        _cdp.SendAsync("WebAuthn.addCredential", new Dictionary<string, object> { ["authenticatorId"] = Id, ["credential"] = credential });

    public Task RemoveCredentialAsync(string credentialId) =>
        _cdp.SendAsync("WebAuthn.removeCredential", new Dictionary<string, object> { ["authenticatorId"] = Id, ["credentialId"] = credentialId });
}
