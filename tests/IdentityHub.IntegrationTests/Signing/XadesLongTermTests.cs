using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Xades;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Tsp;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>XAdES B-LT (EN 319 132-1 §5.4): the validation data embedded in the signature suffices for openssl, offline.</summary>
[Collection(HubCollection.Name)]
public sealed class XadesLongTermTests(HubFixture hub)
{
    [Fact]
    public async Task B_LT_carries_the_CA_and_TSA_certificates_CRLs_and_OCSP_responses_that_openssl_accepts_for_the_signer()
    {
        var signer = await hub.IssueSignerAsync();
        var signed = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync("<doc>long-term</doc>"u8.ToArray(), signer.Identity, SignatureLevel.BaselineLT, CancellationToken.None);
        var document = XadesTools.Parse(signed);
        var namespaces = XadesTools.Namespaces(document);

        // Unsigned properties in the order they were added: time-stamp, then the values (EN 319 132-1 §6.3 note on order).
        var unsigned = XadesTools.Single(document, "//xades:UnsignedProperties/xades:UnsignedSignatureProperties");
        Assert.Equal(["SignatureTimeStamp", "CertificateValues", "RevocationValues"],
            unsigned.ChildNodes.OfType<System.Xml.XmlElement>().Select(e => e.LocalName));

        var certificates = Values(document, "//xades:CertificateValues/xades:EncapsulatedX509Certificate");
        Assert.Contains(certificates, c => c.SequenceEqual(signer.Identity.IssuerChainDer[0]));
        Assert.Contains(certificates, c => c.SequenceEqual(signer.Identity.IssuerChainDer[^1]));
        var token = new TimeStampToken(new Org.BouncyCastle.Cms.CmsSignedData(
            Convert.FromBase64String(XadesTools.Single(document, "//xades:EncapsulatedTimeStamp").InnerText)));
        var tsa = token.GetCertificates().EnumerateMatches(null).Single(c => token.SignerID.Match(c));
        Assert.Contains(certificates, c => c.SequenceEqual(tsa.GetEncoded()));

        var ocsp = Values(document, "//xades:RevocationValues/xades:OCSPValues/xades:EncapsulatedOCSPValue");
        var crls = Values(document, "//xades:RevocationValues/xades:CRLValues/xades:EncapsulatedCRLValue");
        Assert.NotEmpty(crls);
        Assert.Equal("CRLValues", XadesTools.Single(document, "//xades:RevocationValues").FirstChild!.LocalName);
        Assert.NotEmpty(document.SelectNodes("//xades:RevocationValues/xades:OCSPValues", namespaces)!);

        // Offline path validation from the embedded data only: the CRLs make openssl's revocation check pass.
        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-lt");
        await Pem.WriteCertificateAsync(Path.Combine(dir, "signer.pem"), signer.Identity.CertificateDer);
        await File.WriteAllTextAsync(Path.Combine(dir, "crls.pem"),
            string.Concat(crls.Select(der => new string(System.Security.Cryptography.PemEncoding.Write("X509 CRL", der)) + "\n")));
        var verified = await Openssl.RunAsync(dir, "verify", "-crl_check_all", "-CAfile", "root.pem", "-untrusted", "ca.pem", "-CRLfile", "crls.pem", "signer.pem");
        Assert.True(verified.ExitCode == 0, verified.All);
        var withoutCrls = await Openssl.RunAsync(dir, "verify", "-crl_check_all", "-CAfile", "root.pem", "-untrusted", "ca.pem", "signer.pem");
        Assert.NotEqual(0, withoutCrls.ExitCode); // the check above really needed the embedded CRLs

        // An embedded OCSP response answers "good" for the signer's certificate, signed by a responder openssl trusts.
        var signerSerial = new Org.BouncyCastle.X509.X509Certificate(signer.Identity.CertificateDer).SerialNumber;
        var forSigner = ocsp.Single(der => ((BasicOcspResp)new OcspResp(der).GetResponseObject()).Responses
            .Any(r => r.GetCertID().SerialNumber.Equals(signerSerial)));
        await File.WriteAllBytesAsync(Path.Combine(dir, "ocsp.der"), forSigner);
        var answered = await Openssl.RunAsync(dir, "ocsp", "-respin", "ocsp.der", "-issuer", "ca.pem", "-cert", "signer.pem",
            "-CAfile", "root.pem", "-verify_other", "ca.pem", "-no_nonce");
        Assert.True(answered.ExitCode == 0, answered.All);
        Assert.Contains("signer.pem: good", answered.All, StringComparison.Ordinal);
        Assert.Contains("Response verify OK", answered.All, StringComparison.Ordinal);

        // And the B-LT signature itself still verifies: the unsigned values are outside what is signed.
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.xml"), signed);
        var xmlsec = await XadesTools.VerifyAsync(dir, "signed.xml");
        Assert.True(xmlsec.ExitCode == 0, xmlsec.All);
        Assert.Contains("long-term", Encoding.UTF8.GetString(signed), StringComparison.Ordinal);
    }

    private static List<byte[]> Values(System.Xml.XmlDocument document, string xpath) =>
        [.. document.SelectNodes(xpath, XadesTools.Namespaces(document))!.Cast<System.Xml.XmlNode>().Select(n => Convert.FromBase64String(n.InnerText))];
}
