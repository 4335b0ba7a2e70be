using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// The parts of a navigator.credentials.get() answer (PublicKeyCredential.toJSON(), WebAuthn Level 3 §5.1.9) the hub
/// reads itself besides Identity's handler: the credential id, the authenticator data and the signature.
/// </summary>
internal sealed record AssertionResponse(byte[] CredentialId, byte[] AuthenticatorData, byte[] ClientDataJson, byte[] Signature)
{
    public static AssertionResponse? TryParse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var response = root.GetProperty("response");
            return new AssertionResponse(
                WebEncoders.Base64UrlDecode(root.GetProperty("rawId").GetString() ?? root.GetProperty("id").GetString()!),
                WebEncoders.Base64UrlDecode(response.GetProperty("authenticatorData").GetString()!),
                WebEncoders.Base64UrlDecode(response.GetProperty("clientDataJSON").GetString()!),
                WebEncoders.Base64UrlDecode(response.GetProperty("signature").GetString()!));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>Whether the signature verifies with the stored public key (WebAuthn §7.2 step 21).</summary>
    public bool SignatureVerifies(byte[] coseKey)
    {
        var key = CoseKey.TryDecode(coseKey);
        byte[] signed = [.. AuthenticatorData, .. SHA256.HashData(ClientDataJson)];
        return key is not null && key.Verify(signed, Signature);
    }
}
