using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Cms;
using IdentityHub.Signing.Validation;
using IdentityHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>Detached CAdES (ETSI EN 319 122-1) B-B and B-T checked with openssl cms and openssl ts.</summary>
[Collection(HubCollection.Name)]
public sealed class CadesSignerTests(HubFixture hub)
{
    [Theory]
    [InlineData(SignatureLevel.BaselineB)]
    [InlineData(SignatureLevel.BaselineT)]
    public async Task A_detached_signature_verifies_with_openssl_and_fails_on_a_changed_byte(SignatureLevel level)
    {
        var signer = await hub.IssueSignerAsync();
        var dir = PadesTools.NewDirectory(hub, "cades-" + level);
        await PadesTools.WriteTrustAsync(dir, signer);
        var content = new byte[200_000];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(dir, "original.bin"), content);
        await File.WriteAllBytesAsync(Path.Combine(dir, "changed.bin"), PadesTools.Flip(content, 123_456));
        var cades = hub.App.Services.GetRequiredService<CadesSigner>();

        using var stream = new MemoryStream(content);
        var p7s = await cades.SignDetachedAsync(stream, signer.Identity, level, CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(dir, "x.p7s"), p7s);

        var verified = await VerifyAsync(dir, "original.bin");
        Assert.True(verified.ExitCode == 0, verified.All);
        Assert.Contains("Verification successful", verified.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, (await VerifyAsync(dir, "changed.bin")).ExitCode);

        // EN 319 122-1 §6.3: signing-time and signing-certificate-v2 signed; the whole chain embedded; no eContent.
        var cms = new CmsSignedData(p7s);
        Assert.Null(cms.SignedContent);
        Assert.Equal(3, cms.GetCertificates().EnumerateMatches(null).Count());
        var signerInfo = cms.GetSignerInfos().GetSigners().Single();
        Assert.NotNull(signerInfo.SignedAttributes[PkcsObjectIdentifiers.Pkcs9AtSigningTime]);
        Assert.NotNull(signerInfo.SignedAttributes[PkcsObjectIdentifiers.IdAASigningCertificateV2]);
        var token = signerInfo.UnsignedAttributes?[PkcsObjectIdentifiers.IdAASignatureTimeStampToken];
        Assert.Equal(level == SignatureLevel.BaselineT, token is not null);
        if (token is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, "ts.der"), token.AttrValues[0].ToAsn1Object().GetEncoded());
            await File.WriteAllBytesAsync(Path.Combine(dir, "sigvalue.bin"), signerInfo.GetSignature());
            var stamp = await PadesTools.RunAsync(dir, "openssl", "ts", "-verify", "-token_in", "-in", "ts.der", "-data", "sigvalue.bin", "-CAfile", "root.pem");
            Assert.True(stamp.ExitCode == 0, stamp.All);
            await File.WriteAllBytesAsync(Path.Combine(dir, "othervalue.bin"), PadesTools.Flip(signerInfo.GetSignature(), 3));
            Assert.NotEqual(0, (await PadesTools.RunAsync(dir, "openssl", "ts", "-verify", "-token_in", "-in", "ts.der", "-data", "othervalue.bin", "-CAfile", "root.pem")).ExitCode);
        }
    }

    private static Task<PadesTools.ToolResult> VerifyAsync(string dir, string content) =>
        PadesTools.RunAsync(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "x.p7s", "-content", content,
            "-CAfile", "root.pem", "-certfile", "chain.pem", "-purpose", "any", "-out", "/dev/null");
}
