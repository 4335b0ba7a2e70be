using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Revocation;
using IdentityHub.Signing.TimeStamps;
using IdentityHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Tsp;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>The seams every signature format stands on: the citizen's wrapped key, the hub's TSA and its revocation data.</summary>
[Collection(HubCollection.Name)]
public sealed class SignerSeamTests(HubFixture hub)
{
    [Fact]
    public async Task A_citizen_signature_key_signs_under_its_qualified_certificate_and_chains_to_the_hub_root()
    {
        var signer = await hub.IssueSignerAsync();

        using var certificate = X509CertificateLoader.LoadCertificate(signer.Identity.CertificateDer);
        Assert.Equal(signer.Credential.KeyId, signer.Identity.Key.KeyId);
        Assert.Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo(), signer.Identity.Key.SubjectPublicKeyInfo.ToArray());
        var digest = SHA256.HashData("to be signed"u8);
        var signature = signer.Identity.Key.SignDigest(digest, HashAlgorithmName.SHA256);
        using var publicKey = certificate.GetECDsaPublicKey()!;
        Assert.True(publicKey.VerifyHash(digest, signature));
        Assert.False(publicKey.VerifyHash(SHA256.HashData("something else"u8), signature));

        // citizen-sign CA, then the root, which is self-signed.
        Assert.Equal(2, signer.Identity.IssuerChainDer.Count);
        using var issuer = X509CertificateLoader.LoadCertificate(signer.Identity.IssuerChainDer[0]);
        using var root = X509CertificateLoader.LoadCertificate(signer.Identity.IssuerChainDer[1]);
        Assert.Equal(issuer.Subject, certificate.Issuer);
        Assert.Equal(root.Subject, root.Issuer);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(issuer);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public async Task The_time_stamp_source_returns_a_token_over_the_digest_that_openssl_verifies_against_the_hub_root()
    {
        var source = hub.App.Services.GetRequiredService<ITimeStampSource>();
        var data = "signature value"u8.ToArray();
        var token = await source.TimeStampAsync(SHA256.HashData(data), HashAlgorithmName.SHA256, CancellationToken.None);

        var parsed = new TimeStampToken(new Org.BouncyCastle.Cms.CmsSignedData(token));
        Assert.Equal(SHA256.HashData(data), parsed.TimeStampInfo.GetMessageImprintDigest());
        var dir = hub.WorkDirectory.CreateSubdirectory("seam-ts-" + Guid.NewGuid().ToString("N")[..6]).FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, "token.der"), token);
        await File.WriteAllBytesAsync(Path.Combine(dir, "data.bin"), data);
        var signer = await hub.IssueSignerAsync();
        await File.WriteAllTextAsync(Path.Combine(dir, "root.pem"), Pem.Certificate(signer.Identity.IssuerChainDer[^1]));
        var verified = await Openssl.RunAsync(dir, "ts", "-verify", "-token_in", "-in", "token.der", "-data", "data.bin", "-CAfile", "root.pem");
        Assert.True(verified.ExitCode == 0, verified.All);
        await File.WriteAllBytesAsync(Path.Combine(dir, "other.bin"), "another value"u8.ToArray());
        var refused = await Openssl.RunAsync(dir, "ts", "-verify", "-token_in", "-in", "token.der", "-data", "other.bin", "-CAfile", "root.pem");
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public async Task Revocation_data_covers_the_signer_and_its_CA_with_good_OCSP_answers_and_CRLs()
    {
        var signer = await hub.IssueSignerAsync();
        var data = await hub.App.Services.GetRequiredService<IRevocationSource>()
            .CollectAsync([.. signer.Identity.FullChainDer], CancellationToken.None);

        // The citizen certificate and the citizen-sign CA each get an OCSP answer; the root is a trust anchor.
        Assert.Equal(2, data.OcspResponses.Count);
        foreach (var der in data.OcspResponses)
        {
            var response = new OcspResp(der);
            Assert.Equal(OcspRespStatus.Successful, response.Status);
            var single = Assert.Single(((BasicOcspResp)response.GetResponseObject()).Responses);
            Assert.Null(single.GetCertStatus()); // null is "good" (RFC 6960 §4.2.1)
        }

        Assert.Equal(2, data.Crls.Count); // citizen-sign's CRL and the root's
    }
}
