namespace AgencyPortal;

/// <summary>The settings the hub's operator gives the agency (section <c>Hub</c>).</summary>
public sealed class HubSettings
{
    public const string Section = "Hub";

    /// <summary>The hub's issuer, exactly as its discovery document gives it (with the trailing slash).</summary>
    public Uri? Authority { get; set; }

    /// <summary>The client id the operator registered.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>
    /// The PEM file of the client's EC P-256 private key, for private_key_jwt (RFC 7523); its public half is what the
    /// operator registered (<c>hubctl clients add --jwks-file</c>). In production this key lives in a key vault or HSM.
    /// </summary>
    public string ClientKeyFile { get; set; } = "";

    /// <summary>The eIDAS level of assurance the pages need; the ID token must carry it or a higher one.</summary>
    public string AcrValues { get; set; } = EidasLevels.Substantial;
}

/// <summary>The eIDAS levels of assurance as the hub writes them in <c>acr</c>.</summary>
public static class EidasLevels
{
    public const string Low = "http://eidas.europa.eu/LoA/low";
    public const string Substantial = "http://eidas.europa.eu/LoA/substantial";
    public const string High = "http://eidas.europa.eu/LoA/high";

    private static readonly string[] Ordered = [Low, Substantial, High];

    /// <summary>Whether <paramref name="acr"/> is <paramref name="required"/> or above it.</summary>
    public static bool Satisfies(string? acr, string required) =>
        Array.IndexOf(Ordered, acr) is var got and >= 0 && got >= Array.IndexOf(Ordered, required);
}
