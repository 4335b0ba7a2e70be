namespace IdentityHub.Authentication.Assurance;

/// <summary>
/// The mapping from authenticators to eIDAS levels of assurance (configuration section Authentication:Assurance). Each
/// level lists rules; a rule is methods joined by '+', all of which the session must hold. A session reaches the highest
/// level one of whose rules it meets. The default follows Commission Implementing Regulation (EU) 2015/1502, 2.2.1:
/// low needs one factor; substantial two factors of different categories (or a passkey that verified its user, which is
/// possession plus knowledge or inherence); high, a passkey with user verification on an authenticator whose
/// attestation the operator trusts (a certified device bound to the eID holder).
/// </summary>
public sealed class AssuranceOptions
{
    public const string SectionName = "Authentication:Assurance";

    public static IReadOnlyDictionary<string, string[]> DefaultLevels { get; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["low"] = ["pwd"],
        ["substantial"] = ["pwd+otp", "pwd+passkey", "pwd+recovery-code", "passkey-uv"],
        ["high"] = ["passkey-uv-attested"],
    };

    /// <summary>Level name (low, substantial, high) to its rules. Empty means <see cref="DefaultLevels"/>.</summary>
    public Dictionary<string, string[]> Levels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The level a login reaches unless a relying party asks for another.</summary>
    public string DefaultLevel { get; set; } = "substantial";

    /// <summary>The rules in effect: configured ones, or the default mapping.</summary>
    internal IReadOnlyDictionary<string, string[]> EffectiveLevels => Levels.Count > 0 ? Levels : DefaultLevels;

    /// <summary>Null when valid, otherwise what is wrong (checked at start-up).</summary>
    internal string? Validate()
    {
        foreach (var (level, rules) in EffectiveLevels)
        {
            if (!LevelsOfAssurance.TryParse(level, out _))
            {
                return $"{SectionName}:Levels has an unknown level '{level}': use low, substantial or high.";
            }

            foreach (var method in (rules ?? []).SelectMany(r => r.Split('+', StringSplitOptions.TrimEntries)))
            {
                if (!AuthenticationMethods.IsKnown(method))
                {
                    return $"{SectionName}:Levels:{level} names an unknown method '{method}': use {string.Join(", ", AuthenticationMethods.All)}.";
                }
            }
        }

        return LevelsOfAssurance.TryParse(DefaultLevel, out _) ? null : $"{SectionName}:DefaultLevel must be low, substantial or high.";
    }
}
