using IdentityHub.Core.Keys;
using IdentityHub.Pki;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1.X509;

namespace IdentityHub.IntegrationTests.Infrastructure;

public static class HubFixtureExtensions
{
    /// <summary>What `hubctl pki issue-test-cert` does: a fresh HSM key and a certificate for it.</summary>
    public static async Task<IssuedCertificate> IssueAsync(this HubFixture hub, string profile = "test-authentication", string commonName = "Mari Maasikas")
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var key = scope.ServiceProvider.GetRequiredService<IKeyStore>().Generate("it-" + profile, KeyAlgorithm.EcP256);
        return await scope.ServiceProvider.GetRequiredService<CertificateIssuer>()
            .IssueAsync(profile, new X509Name($"CN={commonName}"), key.SubjectPublicKeyInfo.ToArray(), CancellationToken.None);
    }

    public static async Task<RevocationOutcome> RevokeAsync(this HubFixture hub, IssuedCertificate certificate, RevocationReason reason)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RevocationService>()
            .RevokeAsync(certificate.SerialNumber, reason, certificate.IssuerName, CancellationToken.None);
    }

    /// <summary>Downloads a CA certificate from the hub's caIssuers URL and writes it as PEM; returns the path.</summary>
    public static async Task<string> FetchCaAsync(this HubFixture hub, string name)
    {
        var der = await hub.Http.GetByteArrayAsync($"/pki/ca/{name}.crt");
        return await Pem.WriteCertificateAsync(hub.PathOf($"{name}.pem"), der);
    }
}
