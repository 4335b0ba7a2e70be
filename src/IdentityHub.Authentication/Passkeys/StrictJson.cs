using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// The one reader every WebAuthn answer passes before anything else reads it. Identity's passkey handler deserialises
/// the answer with names compared without regard to case, keeping the last of two equal names; any other reader that
/// picks a different member (the first, or an exact-case match) would judge another answer than the one whose signature
/// was verified. So an answer is refused when any object in it, at any depth, has two members whose names are equal
/// once unescaped and compared without regard to case (RFC 8259 §4: names SHOULD be unique; I-JSON, RFC 7493 §2.3, MUST).
/// The client data inside the answer (response.clientDataJSON, WebAuthn Level 3 §5.8.1) is held to the same rule.
/// </summary>
internal static class StrictJson
{
    /// <summary>Far above a real answer (an attestation with a certificate chain is a few KiB), far below the form limit.</summary>
    public const int MaxLength = 64 * 1024;

    private const int MaxDepth = 16;

    private static readonly JsonReaderOptions Options = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Null when <paramref name="credentialJson"/> is an acceptable PublicKeyCredential answer; otherwise why not (for the audit log).</summary>
    public static string? CredentialProblem(string? credentialJson)
    {
        if (string.IsNullOrEmpty(credentialJson))
        {
            return "empty";
        }

        if (credentialJson.Length > MaxLength)
        {
            return "too-large";
        }

        var problem = Problem(Encoding.UTF8.GetBytes(credentialJson), captureClientData: true, out var clientData);
        if (problem is not null || clientData is null)
        {
            return problem;
        }

        byte[] decoded;
        try
        {
            decoded = WebEncoders.Base64UrlDecode(clientData);
        }
        catch (FormatException)
        {
            return "malformed-json: clientDataJSON is not base64url";
        }

        return Problem(decoded, captureClientData: false, out _) is { } inner ? "clientDataJSON: " + inner : null;
    }

    /// <summary>
    /// Null when <paramref name="utf8"/> is exactly one JSON object (no comments, no trailing commas, no second value) in
    /// which no object repeats a member name; otherwise why not.
    /// </summary>
    /// <param name="clientData">With <paramref name="captureClientData"/>: the string at response.clientDataJSON, when there is one.</param>
    internal static string? Problem(ReadOnlySpan<byte> utf8, bool captureClientData, out string? clientData)
    {
        clientData = null;
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, new JsonReaderState(Options));
        // One frame per open object: the names seen so far and the name whose value is being read.
        var frames = new List<(HashSet<string> Names, string? Current)>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "malformed-json: not an object";
            }

            frames.Add((new HashSet<string>(StringComparer.OrdinalIgnoreCase), null));
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        frames.Add((new HashSet<string>(StringComparer.OrdinalIgnoreCase), null));
                        break;
                    case JsonTokenType.EndObject:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        // GetString unescapes: "\u0072esponse" is the name "response".
                        var name = reader.GetString()!;
                        var frame = frames[^1];
                        if (!frame.Names.Add(name))
                        {
                            return $"duplicate-member '{Printable(name)}' (names differ at most by case)";
                        }

                        frames[^1] = (frame.Names, name);
                        break;
                    case JsonTokenType.String when captureClientData && frames.Count == 2 && reader.CurrentDepth == 2
                        && string.Equals(frames[0].Current, "response", StringComparison.OrdinalIgnoreCase)
                        && string.Equals(frames[1].Current, "clientDataJSON", StringComparison.OrdinalIgnoreCase):
                        clientData = reader.GetString();
                        break;
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return "malformed-json: " + ex.GetType().Name;
        }
    }

    private static string Printable(string name)
    {
        var shown = name.Length > 40 ? name[..40] : name;
        return new string(shown.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
