using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace IdentityHub.IntegrationTests.Pki;

[Collection(HubCollection.Name)]
public sealed class CertificateProfileTests(HubFixture hub)
{
    [Fact]
    public async Task Openssl_verifies_a_test_certificate_against_the_chain_fetched_from_its_AIA_urls()
    {
        var issued = await hub.IssueAsync();
        var leaf = await Pem.WriteCertificateAsync(hub.PathOf($"leaf-{issued.SerialNumber}.pem"), issued.Der);

        // Walk up by caIssuers, as a relying party would: leaf -> citizen-auth -> root.
        var intermediateDer = await FetchByCaIssuersAsync(new X509Certificate(issued.Der));
        var intermediate = await Pem.WriteCertificateAsync(hub.PathOf("aia-intermediate.pem"), intermediateDer);
        var rootDer = await FetchByCaIssuersAsync(new X509Certificate(intermediateDer));
        var root = await Pem.WriteCertificateAsync(hub.PathOf("aia-root.pem"), rootDer);

        var result = await Openssl.RunAsync(hub.WorkDirectory.FullName, "verify", "-CAfile", root, "-untrusted", intermediate, leaf);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{leaf}: OK", result.Output, StringComparison.Ordinal);

        // And the root is really self-signed and the anchor: verifying the leaf against the intermediate alone fails.
        var withoutRoot = await Openssl.RunAsync(hub.WorkDirectory.FullName, "verify", "-CAfile", intermediate, leaf);
        Assert.NotEqual(0, withoutRoot.ExitCode);
    }

    [Fact]
    public async Task Openssl_shows_the_end_entity_profile()
    {
        var issued = await hub.IssueAsync();
        var leaf = await Pem.WriteCertificateAsync(hub.PathOf($"profile-{issued.SerialNumber}.pem"), issued.Der);
        var text = (await Openssl.RunAsync(hub.WorkDirectory.FullName, "x509", "-in", leaf, "-noout", "-text")).Output;
        var baseUrl = hub.BaseAddress.ToString().TrimEnd('/');

        Assert.Contains("X509v3 Basic Constraints: critical\n                CA:FALSE", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Key Usage: critical\n                Digital Signature", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Extended Key Usage: \n                TLS Web Client Authentication", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Subject Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Authority Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains($"URI:{baseUrl}/pki/crl/citizen-auth.crl", text, StringComparison.Ordinal);
        Assert.Contains($"OCSP - URI:{baseUrl}/pki/ocsp", text, StringComparison.Ordinal);
        Assert.Contains($"CA Issuers - URI:{baseUrl}/pki/ca/citizen-auth.crt", text, StringComparison.Ordinal);
        Assert.Contains("Issuer: C = XA, O = IdentityHub Demo Trust Service Provider, organizationIdentifier = NTRXA-0000000, CN = IdentityHub Citizen Authentication CA", text, StringComparison.Ordinal);

        // At least 64 random bits (we use 127): 16 octets, the top one fixed at 01xxxxxx.
        Assert.Equal(32, issued.SerialNumber.Length);
    }

    [Theory]
    [InlineData("root", "pathlen:1", null)]
    [InlineData("citizen-auth", "pathlen:0", "0.4.0.2042.1.2")]
    [InlineData("citizen-sign", "pathlen:0", "0.4.0.194112.1.2")]
    [InlineData("services", "pathlen:0", null)]
    public async Task Openssl_shows_the_CA_profile(string ca, string pathLength, string? policy)
    {
        var pem = await hub.FetchCaAsync(ca);
        var text = (await Openssl.RunAsync(hub.WorkDirectory.FullName, "x509", "-in", pem, "-noout", "-text")).Output;

        Assert.Contains($"X509v3 Basic Constraints: critical\n                CA:TRUE, {pathLength}", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign", text, StringComparison.Ordinal);
        Assert.Contains("ASN1 OID: secp384r1", text, StringComparison.Ordinal);
        Assert.Contains("Signature Algorithm: ecdsa-with-SHA384", text, StringComparison.Ordinal);
        if (ca == "root")
        {
            Assert.DoesNotContain("CRL Distribution Points", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("/pki/crl/root.crl", text, StringComparison.Ordinal);
            Assert.Contains("CA Issuers - URI:", text, StringComparison.Ordinal);
        }

        if (policy is not null)
        {
            Assert.Contains($"Policy: {policy}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Service_certificates_carry_their_profiles()
    {
        var services = await hub.FetchCaAsync("services");
        var certificates = await ServiceCertificatesAsync();

        var tsa = await Pem.WriteCertificateAsync(hub.PathOf("tsa.pem"), certificates["tsa"]);
        var tsaText = (await Openssl.RunAsync(hub.WorkDirectory.FullName, "x509", "-in", tsa, "-noout", "-text")).Output;
        Assert.Contains("X509v3 Extended Key Usage: critical\n                Time Stamping", tsaText, StringComparison.Ordinal);
        Assert.Contains("Digital Signature, Non Repudiation", tsaText, StringComparison.Ordinal);

        var responder = await Pem.WriteCertificateAsync(hub.PathOf("ocsp-services.pem"), certificates["ocsp:services"]);
        var responderText = (await Openssl.RunAsync(hub.WorkDirectory.FullName, "x509", "-in", responder, "-noout", "-text")).Output;
        Assert.Contains("OCSP Signing", responderText, StringComparison.Ordinal);
        Assert.Contains("OCSP No Check", responderText, StringComparison.Ordinal);
        Assert.DoesNotContain("CRL Distribution Points", responderText, StringComparison.Ordinal);

        var root = await hub.FetchCaAsync("root");
        var verify = await Openssl.RunAsync(hub.WorkDirectory.FullName, "verify", "-CAfile", root, "-untrusted", services, "-purpose", "timestampsign", tsa);
        Assert.Equal(0, verify.ExitCode);
    }

    private async Task<Dictionary<string, byte[]>> ServiceCertificatesAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityHub.Data.HubDbContext>();
        return db.ServiceCredentials.ToDictionary(c => c.Purpose, c => c.CertificateDer);
    }

    private async Task<byte[]> FetchByCaIssuersAsync(X509Certificate certificate)
    {
        var aia = AuthorityInformationAccess.GetInstance(Asn1Object.FromByteArray(certificate.GetExtensionValue(X509Extensions.AuthorityInfoAccess).GetOctets()));
        var url = aia.GetAccessDescriptions().Single(d => d.AccessMethod.Equals(AccessDescription.IdADCAIssuers)).AccessLocation.Name.ToString()!;
        Assert.StartsWith(hub.BaseAddress.ToString(), url, StringComparison.Ordinal);
        return await hub.Http.GetByteArrayAsync(new Uri(url));
    }
}
