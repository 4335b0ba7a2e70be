namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// A hub that trusts the attestation of Chromium's virtual authenticator (as an operator loads a vendor's FIDO metadata
/// root), so that a passkey made with it, with user verification, reaches level high.
/// </summary>
public sealed class CitizenHubFixture : HubFixture
{
    protected override string? AttestationRootsPath =>
        Path.Combine(AppContext.BaseDirectory, "Citizen", "chromium-virtual-authenticator-attestation.pem");
}
