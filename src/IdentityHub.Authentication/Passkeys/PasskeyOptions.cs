namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// Passkeys (configuration section Authentication:Passkeys). The relying party id and the origins allowed to answer
/// are fixed here rather than taken from the request (WebAuthn Level 3 §5.1.3 step 13 and §7.1 step 9: the origin
/// must be one the relying party expects). Browsers accept http only for localhost.
/// </summary>
public sealed class PasskeyOptions
{
    public const string SectionName = "Authentication:Passkeys";

    /// <summary>The WebAuthn RP ID: the hub's host name (a registrable domain suffix of every origin).</summary>
    public string RelyingPartyId { get; set; } = "localhost";

    /// <summary>The only origins whose ceremonies are accepted, e.g. https://login.example.gov.</summary>
    public string[] Origins { get; set; } = [];

    /// <summary>Certificates (a directory of PEM/DER files, or one file) whose attestations make a passkey eligible for level high.</summary>
    public string? AttestationRootsPath { get; set; }

    /// <summary>How long a challenge can be answered (WebAuthn §15.4 recommends a timeout; Identity's default is 5 minutes).</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Null when valid, otherwise what is wrong.</summary>
    internal string? Validate()
    {
        if (string.IsNullOrWhiteSpace(RelyingPartyId) || RelyingPartyId.Contains('/', StringComparison.Ordinal) || RelyingPartyId.Contains(':', StringComparison.Ordinal))
        {
            return $"{SectionName}:RelyingPartyId must be a host name such as login.example.gov (no scheme or port).";
        }

        if (Origins.Length == 0)
        {
            return $"{SectionName}:Origins must list the origin(s) citizens use, e.g. https://{RelyingPartyId}.";
        }

        foreach (var origin in Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                return $"{SectionName}:Origins has '{origin}', which is not an origin (scheme://host[:port]).";
            }

            var host = uri.Host;
            if (!host.Equals(RelyingPartyId, StringComparison.OrdinalIgnoreCase) && !host.EndsWith("." + RelyingPartyId, StringComparison.OrdinalIgnoreCase))
            {
                return $"{SectionName}:Origins has '{origin}', whose host is not {RelyingPartyId} or below it.";
            }

            if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))))
            {
                return $"{SectionName}:Origins has '{origin}': browsers use passkeys over https only (http only on localhost).";
            }
        }

        return ChallengeLifetime <= TimeSpan.Zero ? $"{SectionName}:ChallengeLifetime must be positive." : null;
    }

    internal bool IsAllowedOrigin(string? origin) =>
        origin is not null && Origins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
}
