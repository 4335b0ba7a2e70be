using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Pdf;
using IdentityHub.Signing.Validation;
using IdentityHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Asn1.Pkcs;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// PAdES baseline levels (ETSI EN 319 142-1) checked only with independent tools: openssl cms and ts over the bytes the
/// /ByteRange covers, qpdf --check and --json, and poppler's pdfsig with the hub root in a fresh NSS database.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class PadesLevelTests(HubFixture hub)
{
    public static TheoryData<SignatureLevel, string> Levels => new()
    {
        { SignatureLevel.BaselineB, "table" },
        { SignatureLevel.BaselineT, "table" },
        { SignatureLevel.BaselineLT, "table" },
        { SignatureLevel.BaselineLTA, "table" },
        { SignatureLevel.BaselineB, "xref-stream" },
        { SignatureLevel.BaselineLTA, "xref-stream" },
        { SignatureLevel.BaselineLTA, "linearized" },
    };

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task Each_level_verifies_with_openssl_qpdf_and_pdfsig(SignatureLevel level, string inputKind)
    {
        var signer = await hub.IssueSignerAsync();
        var dir = PadesTools.NewDirectory(hub, "pades-" + level);
        await PadesTools.WriteTrustAsync(dir, signer);
        var input = inputKind switch
        {
            "xref-stream" => await PadesTools.XrefStreamPdfAsync(dir),
            "linearized" => await PadesTools.LinearizedPdfAsync(dir),
            _ => PadesTools.SimplePdf(),
        };
        var pades = hub.App.Services.GetRequiredService<PadesSigner>();

        var signed = await pades.SignAsync(input, signer.Identity, new PadesParameters { Level = level }, CancellationToken.None);

        // Incremental: every byte of the original is still there, unchanged, at the start.
        Assert.Equal(input, signed.AsSpan(0, input.Length).ToArray());
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.pdf"), signed);
        var signatures = PadesTools.Signatures(signed);
        Assert.Equal(level == SignatureLevel.BaselineLTA ? 2 : 1, signatures.Count);

        // openssl cms over the ByteRange content: valid, and invalid after one flipped byte of the signed range.
        var signature = signatures[0];
        await File.WriteAllBytesAsync(Path.Combine(dir, "sig.der"), signature.Der);
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.bin"), signature.SignedContent);
        await File.WriteAllBytesAsync(Path.Combine(dir, "flipped.bin"), PadesTools.Flip(signature.SignedContent, signature.SignedContent.Length / 3));
        var verified = await CmsVerifyAsync(dir, "signed.bin");
        Assert.True(verified.ExitCode == 0, verified.All);
        Assert.NotEqual(0, (await CmsVerifyAsync(dir, "flipped.bin")).ExitCode);

        // EN 319 142-1 §6.3: no CMS signing-time; signing-certificate-v2 present.
        var cms = new CmsSignedData(signature.Der);
        var signerInfo = cms.GetSignerInfos().GetSigners().Single();
        Assert.Null(signerInfo.SignedAttributes[PkcsObjectIdentifiers.Pkcs9AtSigningTime]);
        Assert.NotNull(signerInfo.SignedAttributes[PkcsObjectIdentifiers.IdAASigningCertificateV2]);
        var stampAttribute = signerInfo.UnsignedAttributes?[PkcsObjectIdentifiers.IdAASignatureTimeStampToken];
        if (level >= SignatureLevel.BaselineT)
        {
            // RFC 3161 appendix A: the signature time-stamp is over the SignerInfo's signature value.
            Assert.NotNull(stampAttribute);
            await File.WriteAllBytesAsync(Path.Combine(dir, "sigts.der"), stampAttribute.AttrValues[0].ToAsn1Object().GetEncoded());
            await File.WriteAllBytesAsync(Path.Combine(dir, "sigvalue.bin"), signerInfo.GetSignature());
            var stamp = await PadesTools.RunAsync(dir, "openssl", "ts", "-verify", "-token_in", "-in", "sigts.der", "-data", "sigvalue.bin", "-CAfile", "root.pem");
            Assert.True(stamp.ExitCode == 0, stamp.All);
            await File.WriteAllBytesAsync(Path.Combine(dir, "othervalue.bin"), PadesTools.Flip(signerInfo.GetSignature(), 5));
            Assert.NotEqual(0, (await PadesTools.RunAsync(dir, "openssl", "ts", "-verify", "-token_in", "-in", "sigts.der", "-data", "othervalue.bin", "-CAfile", "root.pem")).ExitCode);
        }
        else
        {
            Assert.Null(stampAttribute);
        }

        if (level == SignatureLevel.BaselineLTA)
        {
            // The document time-stamp covers the whole file up to its own /Contents, DSS revision included.
            var document = signatures[1];
            Assert.Equal(signed.Length, document.ByteRange[2] + document.ByteRange[3]);
            await File.WriteAllBytesAsync(Path.Combine(dir, "docts.der"), document.Der);
            await File.WriteAllBytesAsync(Path.Combine(dir, "docts.bin"), document.SignedContent);
            await File.WriteAllBytesAsync(Path.Combine(dir, "docts-flipped.bin"), PadesTools.Flip(document.SignedContent, document.SignedContent.Length - 10));
            var stamp = await PadesTools.RunAsync(dir, "openssl", "ts", "-verify", "-token_in", "-in", "docts.der", "-data", "docts.bin", "-CAfile", "root.pem");
            Assert.True(stamp.ExitCode == 0, stamp.All);
            Assert.NotEqual(0, (await PadesTools.RunAsync(dir, "openssl", "ts", "-verify", "-token_in", "-in", "docts.der", "-data", "docts-flipped.bin", "-CAfile", "root.pem")).ExitCode);
        }

        var check = await PadesTools.RunAsync(dir, "qpdf", "--check", "signed.pdf");
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("No syntax or stream encoding errors found", check.Output, StringComparison.Ordinal);
        var json = (await PadesTools.RunAsync(dir, "qpdf", "--json", "signed.pdf")).Output;
        Assert.Contains("\"/SubFilter\": \"/ETSI.CAdES.detached\"", json, StringComparison.Ordinal);
        Assert.Contains("\"/SigFlags\": 3", json, StringComparison.Ordinal);
        if (level >= SignatureLevel.BaselineLT)
        {
            Assert.Contains("\"/DSS\":", json, StringComparison.Ordinal);
            Assert.Contains("\"/Certs\":", json, StringComparison.Ordinal);
            Assert.Contains("\"/OCSPs\":", json, StringComparison.Ordinal);
            Assert.Contains("\"/CRLs\":", json, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("\"/DSS\":", json, StringComparison.Ordinal);
        }

        Assert.Equal(level == SignatureLevel.BaselineLTA, json.Contains("\"/Type\": \"/DocTimeStamp\"", StringComparison.Ordinal));
        Assert.Equal(level == SignatureLevel.BaselineLTA, json.Contains("\"/SubFilter\": \"/ETSI.RFC3161\"", StringComparison.Ordinal));

        var pdfsig = await PadesTools.RunAsync(dir, "pdfsig", "-nssdir", "sql:nss", "signed.pdf");
        // pdfsig lists every signature; poppler 22.12 validates CAdES ones but not ETSI.RFC3161 document time-stamps
        // ("Unable to validate this type of signature"), which openssl ts -verify checked above.
        Assert.True(PadesTools.Count(pdfsig.Output, "Signature #") == signatures.Count, pdfsig.All);
        Assert.True(PadesTools.Count(pdfsig.Output, "Signature is Valid.") == 1, pdfsig.All);
        Assert.Contains("ETSI.CAdES.detached", pdfsig.Output, StringComparison.Ordinal);

        // pdfsig itself notices a flipped byte inside the first signature's range (it exits 0 either way).
        await File.WriteAllBytesAsync(Path.Combine(dir, "tampered.pdf"), PadesTools.Flip(signed, (int)signature.ByteRange[1] / 2));
        var tampered = await PadesTools.RunAsync(dir, "pdfsig", "-nssdir", "sql:nss", "tampered.pdf");
        Assert.Contains("Digest Mismatch", tampered.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<PadesTools.ToolResult> CmsVerifyAsync(string dir, string content) =>
        PadesTools.RunAsync(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", content,
            "-CAfile", "root.pem", "-certfile", "chain.pem", "-purpose", "any", "-out", "/dev/null");
}
