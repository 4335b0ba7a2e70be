using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>A hub that trusts one test authenticator vendor's attestation root (Authentication:Passkeys:AttestationRootsPath).</summary>
public sealed class PasskeyHubFixture : HubFixture
{
    private readonly DirectoryInfo _anchors = Directory.CreateTempSubdirectory("hub-anchors-");

    public PasskeyHubFixture()
    {
        File.WriteAllText(Path.Combine(_anchors.FullName, "test-vendor-root.pem"), Vendor.RootPem);
    }

    /// <summary>The trusted vendor: passkeys it attests reach level high.</summary>
    public AttestationIssuer Vendor { get; } = new();

    /// <summary>A vendor the hub does not trust.</summary>
    public AttestationIssuer Stranger { get; } = new("Unknown Vendor Root");

    protected override string? AttestationRootsPath => _anchors.FullName;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Vendor.Dispose();
        Stranger.Dispose();
        _anchors.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PasskeyHubCollection : ICollectionFixture<PasskeyHubFixture>
{
    public const string Name = "passkey hub";
}
