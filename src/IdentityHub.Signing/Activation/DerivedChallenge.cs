using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.Signing.Activation;

/// <summary>
/// Puts an activation's derived challenge into the request options and assertion state Identity's passkey handler made,
/// and reads the challenge back from a browser's answer (clientDataJSON, WebAuthn Level 3 §5.8.1).
/// </summary>
internal static class DerivedChallenge
{
    /// <summary>
    /// The options the browser gets and the state the handler verifies against, with <paramref name="challenge"/> in
    /// place of the random one. The state is Identity's own serialization, so the old challenge is found by value (in
    /// the encoding the state uses) rather than by a member name that could change.
    /// </summary>
    public static (string OptionsJson, string State) Replace(string optionsJson, string state, byte[] challenge)
    {
        var options = JsonNode.Parse(optionsJson)?.AsObject() ?? throw new InvalidOperationException("The passkey handler made no request options.");
        var original = options["challenge"]?.GetValue<string>() ?? throw new InvalidOperationException("The passkey request options carry no challenge.");
        var originalBytes = WebEncoders.Base64UrlDecode(original);
        options["challenge"] = WebEncoders.Base64UrlEncode(challenge);

        foreach (var (from, to) in new[]
        {
            (Quoted(original), Quoted(WebEncoders.Base64UrlEncode(challenge))),
            (Quoted(Convert.ToBase64String(originalBytes)), Quoted(Convert.ToBase64String(challenge))),
        })
        {
            if (state.Contains(from, StringComparison.Ordinal))
            {
                return (options.ToJsonString(), state.Replace(from, to, StringComparison.Ordinal));
            }
        }

        throw new InvalidOperationException("The passkey handler's assertion state does not hold its challenge in a known encoding.");
    }

    /// <summary>The challenge a browser's navigator.credentials.get() answer signed, or null when it cannot be read.</summary>
    public static byte[]? Of(string? credentialJson)
    {
        try
        {
            using var document = JsonDocument.Parse(credentialJson ?? "");
            var clientData = WebEncoders.Base64UrlDecode(document.RootElement.GetProperty("response").GetProperty("clientDataJSON").GetString() ?? "");
            using var client = JsonDocument.Parse(Encoding.UTF8.GetString(clientData));
            return WebEncoders.Base64UrlDecode(client.RootElement.GetProperty("challenge").GetString() ?? "");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static string Quoted(string value) => "\"" + value + "\"";
}
