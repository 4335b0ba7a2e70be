using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>
/// Signatures made by an independent implementation (xmlsec1, libxml2 + OpenSSL) are read as intact, for RSA and for
/// ECDSA whose r || s encoding .NET's SignedXml does not produce; and xmlsec1 agrees when the signed data is altered.
/// </summary>
public sealed class XmlsecPeerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("xmlsec-peer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, string> Methods => new()
    {
        { "rsa", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" },
        { "p256", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" },
        { "p384", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" },
        { "rsa", "http://www.w3.org/2000/09/xmldsig#rsa-sha1" },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Enveloped_signature_from_xmlsec1_is_intact(string key, string signatureMethod)
    {
        (byte[] signed, byte[] certificate) = await SignWithXmlsecAsync(key, signatureMethod);

        SignatureEvidence signature = await XmlMutation.ReadAsync(signed);

        Assert.True(signature.DataIntact, signature.DataProblem);
        Assert.True(signature.SignatureIntact);
        Assert.Equal(certificate, signature.SigningCertificate);
        Assert.Null(signature.SigningCertificateReferenceMatches);
        Assert.Equal(SignatureLevel.None, signature.ClaimedLevel);
    }

    [Fact]
    public async Task Altered_data_fails_here_and_in_xmlsec1()
    {
        (byte[] signed, _) = await SignWithXmlsecAsync("p256", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
        byte[] altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace(">hello<", ">hallo<", StringComparison.Ordinal));
        string path = Path.Combine(_directory, "altered.xml");
        await File.WriteAllBytesAsync(path, altered);

        SignatureEvidence signature = await XmlMutation.ReadAsync(altered);
        (int exit, _) = await RunAsync("xmlsec1", "--verify", "--insecure", path);

        Assert.False(signature.DataIntact);
        Assert.True(signature.SignatureIntact);
        Assert.NotEqual(0, exit);
    }

    private async Task<(byte[] Signed, byte[] Certificate)> SignWithXmlsecAsync(string key, string signatureMethod)
    {
        using AsymmetricAlgorithm privateKey = key switch
        {
            "p256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            "p384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => RSA.Create(2048),
        };
        CertificateRequest request = privateKey is ECDsa ecdsa
            ? new CertificateRequest("CN=xmlsec peer", ecdsa, HashAlgorithmName.SHA256)
            : new CertificateRequest("CN=xmlsec peer", (RSA)privateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string keyPath = Path.Combine(_directory, "key.pem");
        string certificatePath = Path.Combine(_directory, "cert.pem");
        await File.WriteAllTextAsync(keyPath, privateKey.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());

        string template = Path.Combine(_directory, "template.xml");
        string output = Path.Combine(_directory, "signed.xml");
        await File.WriteAllTextAsync(template, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <doc xmlns:p="urn:example"><p:data>hello</p:data>
            <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>
            <CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
            <SignatureMethod Algorithm="{signatureMethod}"/>
            <Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms>
            <DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>
            </SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></doc>
            """);
        (int exit, string error) = await RunAsync("xmlsec1", "--sign", "--privkey-pem", $"{keyPath},{certificatePath}", "--output", output, template);
        Assert.True(exit == 0, error);
        return (await File.ReadAllBytesAsync(output), certificate.RawData);
    }

    private static async Task<(int Exit, string Error)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error);
    }
}
