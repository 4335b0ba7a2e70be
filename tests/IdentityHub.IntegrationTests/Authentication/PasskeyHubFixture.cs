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

    /// <summary>The origin a browser on the hub has.</summary>
    public string Origin => BrowserAddress.ToString().TrimEnd('/');

    /// <summary>An activated citizen (password + TOTP) who has registered a passkey made by a new software authenticator.</summary>
    public async Task<(ActivatedCitizen Citizen, SoftwareAuthenticator Authenticator)> CitizenWithPasskeyAsync(AttestationKind kind = AttestationKind.None)
    {
        var citizen = await this.ActivateWithTotpAsync();
        var authenticator = new SoftwareAuthenticator(Origin);
        CitizenWeb.Expect(await PasskeyTests.RegisterAsync(citizen.Client, authenticator, kind, Vendor), "/account", "register");
        return (citizen, authenticator);
    }

    /// <summary>The login page says the answer was refused with <paramref name="message"/>, and the audit log names why.</summary>
    public async Task AssertRefusedAsync(WebPage answer, string subject, string message, string auditReason, string auditType = "auth.passkey.assertion-failed")
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        Assert.Contains(message, System.Net.WebUtility.HtmlDecode(answer.Body), StringComparison.Ordinal);
        Assert.Contains(auditReason, await this.LastAsync(subject, auditType), StringComparison.OrdinalIgnoreCase);
    }

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
