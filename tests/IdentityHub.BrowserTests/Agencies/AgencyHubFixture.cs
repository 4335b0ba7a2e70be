namespace IdentityHub.BrowserTests.Agencies;

/// <summary>
/// A hub whose issuer is the address the browser uses (localhost: WebAuthn refuses IP addresses), so that the agencies'
/// relying parties, the citizen's browser and the passkeys all meet one origin; it trusts the attestation of Chromium's
/// virtual authenticator, so that a passkey made with it reaches level high.
/// </summary>
public sealed class AgencyHubFixture : HubFixture
{
    /// <summary>The issuer the agencies pin: the browser's address, with the trailing slash discovery spells.</summary>
    public Uri Issuer => BrowserAddress;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Oidc:Issuer"] = BrowserAddress.ToString(),
    };

    protected override string? AttestationRootsPath =>
        Path.Combine(AppContext.BaseDirectory, "Citizen", "chromium-virtual-authenticator-attestation.pem");
}
