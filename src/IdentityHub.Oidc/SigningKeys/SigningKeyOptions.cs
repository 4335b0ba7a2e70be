namespace IdentityHub.Oidc.SigningKeys;

/// <summary>
/// How the OpenID provider's signing keys are rotated (configuration section "Oidc:SigningKeys"; docs/operator-guide.md
/// "Rotating the OpenID signing keys", decision 0018).
/// </summary>
public sealed class SigningKeyOptions
{
    /// <summary>
    /// How long a retired key stays in the JWKS after it stopped signing. It must outlive everything the key signed: the
    /// longest ID or access token lifetime, plus <see cref="ClockSkew"/>, plus <see cref="Refresh"/> (a node may sign with
    /// the old key until it next reads the key set). One day by default, so that an ID token from a hub session (12 hours
    /// at most) still works as id_token_hint at logout.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long the next key must have been published before `hubctl oidc rotate-keys` lets it sign (without --force):
    /// relying parties that cache the JWKS then have it before the first token it signs (OpenID Connect Core §10.1.1).
    /// </summary>
    public TimeSpan PublishBeforeUse { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The clock skew relying parties allow when they check exp (Microsoft.IdentityModel's default is 5 minutes).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long each node keeps the key set in memory before reading it again: every node follows a rotation within this time.</summary>
    public TimeSpan Refresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Size of the RSA key (PS256, RS256) of each generation: 2048, 3072 or 4096 bits.</summary>
    public int RsaKeySize { get; set; } = 3072;

    /// <summary>The shortest grace these settings allow, given the token lifetimes.</summary>
    public TimeSpan MinimumGrace(OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(oidc);
        var longest = oidc.IdentityTokenLifetime > oidc.AccessTokenLifetime ? oidc.IdentityTokenLifetime : oidc.AccessTokenLifetime;
        return longest + ClockSkew + Refresh;
    }

    /// <summary>The first problem with these settings, or null.</summary>
    public string? Problem(OidcOptions oidc)
    {
        if (Refresh < TimeSpan.FromSeconds(1) || Refresh > TimeSpan.FromHours(1))
        {
            return "Oidc:SigningKeys:Refresh must be between 00:00:01 and 01:00:00.";
        }

        if (ClockSkew < TimeSpan.Zero || PublishBeforeUse < TimeSpan.Zero)
        {
            return "Oidc:SigningKeys:ClockSkew and PublishBeforeUse cannot be negative.";
        }

        if (RsaKeySize is not (2048 or 3072 or 4096))
        {
            return "Oidc:SigningKeys:RsaKeySize must be 2048, 3072 or 4096.";
        }

        var minimum = MinimumGrace(oidc);
        return Grace < minimum
            ? $"Oidc:SigningKeys:Grace ({Grace}) must be at least the longest ID/access token lifetime plus ClockSkew plus Refresh ({minimum}): tokens signed by a retired key must verify until they expire."
            : null;
    }
}
