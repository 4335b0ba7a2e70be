using IdentityHub.Data;
using IdentityHub.Hsm;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Pki;

[Collection(HubCollection.Name)]
public sealed class KeyCustodyTests(HubFixture hub)
{
    [Fact]
    public async Task Every_CA_and_service_key_is_sensitive_and_non_extractable_inside_the_token()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var keyIds = db.CertificateAuthorities.Select(c => c.KeyId).ToList()
            .Concat(db.ServiceCredentials.Select(c => c.KeyId).ToList())
            .ToList();
        var hsm = scope.ServiceProvider.GetRequiredService<HsmKeyStore>();

        Assert.Equal(4 + 4 + 2, keyIds.Count); // 4 CAs, 4 OCSP responders, TSA, protocol signing
        foreach (var keyId in keyIds)
        {
            var protection = hsm.InspectProtection(keyId);
            Assert.True(protection.Sensitive, $"{keyId} CKA_SENSITIVE");
            Assert.False(protection.Extractable, $"{keyId} CKA_EXTRACTABLE");
            Assert.True(protection.NeverExtractable, $"{keyId} CKA_NEVER_EXTRACTABLE");
            Assert.True(protection.AlwaysSensitive, $"{keyId} CKA_ALWAYS_SENSITIVE");
        }

        // The database holds key identifiers and certificates, and key material only in protected form: citizen keys
        // wrapped by the HSM's trusted key (IssuanceTests prove the blob signs only inside the token), SHA-256 of
        // API secrets, TOTP secrets protected by the Data Protection key ring (TotpTests read the column), and OIDC
        // client secrets as OpenIddict's salted PBKDF2 hashes (OpenIdClientInteropTests read the column).
        // A new column named like key material fails here until it is reviewed and listed.
        var columns = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Select(p => p.Name).ToList();
        Assert.Equal(["ClientSecret", "ProtectedSecret", "SecretHash", "WrappedPrivateKey"], columns
            .Where(c => c.Contains("Private", StringComparison.OrdinalIgnoreCase) || c.Contains("Secret", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Running_init_again_changes_nothing()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<IdentityHub.Pki.Authorities.PkiInitializer>().InitializeAsync(CancellationToken.None);

        Assert.Empty(report.Created);
        Assert.Empty(report.Renewed);
        Assert.Equal(10, report.Unchanged.Count);
    }

    [Fact]
    public async Task Readiness_reports_database_hsm_and_pki()
    {
        using var response = await hub.Http.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", body, StringComparison.Ordinal);
        foreach (var check in new[] { "database", "hsm", "pki" })
        {
            Assert.Contains($"\"{check}\":{{\"status\":\"Healthy\"", body, StringComparison.Ordinal);
        }

        using var live = await hub.Http.GetAsync("/health/live");
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
    }
}
