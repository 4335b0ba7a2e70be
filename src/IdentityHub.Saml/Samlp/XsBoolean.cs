namespace IdentityHub.Saml.Samlp;

/// <summary>XML Schema Part 2 §3.2.2: xs:boolean's lexical space is exactly "true", "false", "1" and "0".</summary>
internal static class XsBoolean
{
    /// <returns>The value, <paramref name="absent"/> when the attribute is missing, or null when it is not an xs:boolean.</returns>
    public static (bool Valid, bool? Value) Parse(string? text) => text switch
    {
        null => (true, null),
        "true" or "1" => (true, true),
        "false" or "0" => (true, false),
        _ => (false, null),
    };
}
