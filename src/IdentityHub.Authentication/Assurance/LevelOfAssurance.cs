namespace IdentityHub.Authentication.Assurance;

/// <summary>
/// eIDAS levels of assurance (Regulation (EU) 2015/1502), ordered: a session at a level also satisfies every lower one.
/// Carried as <c>acr</c> in OpenID Connect and as AuthnContextClassRef in SAML.
/// </summary>
public enum LevelOfAssurance
{
    /// <summary>No authentication that reaches even low.</summary>
    None = 0,
    Low = 1,
    Substantial = 2,
    High = 3,
}

public static class LevelsOfAssurance
{
    public const string LowUri = "http://eidas.europa.eu/LoA/low";
    public const string SubstantialUri = "http://eidas.europa.eu/LoA/substantial";
    public const string HighUri = "http://eidas.europa.eu/LoA/high";

    public static string ToUri(this LevelOfAssurance level) => level switch
    {
        LevelOfAssurance.Low => LowUri,
        LevelOfAssurance.Substantial => SubstantialUri,
        LevelOfAssurance.High => HighUri,
        _ => "",
    };

    /// <summary>Reads a level from its eIDAS URI or its short name (low, substantial, high); false for anything else.</summary>
    public static bool TryParse(string? value, out LevelOfAssurance level)
    {
        var text = (value ?? "").Trim();
        level = LevelOfAssurance.None;
        foreach (var (candidate, uri, name) in new[] { (LevelOfAssurance.Low, LowUri, "low"), (LevelOfAssurance.Substantial, SubstantialUri, "substantial"), (LevelOfAssurance.High, HighUri, "high") })
        {
            if (string.Equals(text, uri, StringComparison.OrdinalIgnoreCase) || string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
            }
        }

        return level != LevelOfAssurance.None;
    }
}
