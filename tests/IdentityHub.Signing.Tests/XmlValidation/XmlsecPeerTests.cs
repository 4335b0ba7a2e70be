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

    [Fact]
    public async Task Asic_s_with_a_detached_xmlsec1_signature_is_intact_and_catches_a_changed_file()
    {
        byte[] data = "the contract"u8.ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_directory, "my contract.txt"), data);
        (byte[] signed, _) = await SignWithXmlsecAsync("p256", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", detachedUri: "my%20contract.txt");
        string signature = Encoding.UTF8.GetString(signed);
        signature = signature[signature.IndexOf("<Signature", StringComparison.Ordinal)..(signature.IndexOf("</Signature>", StringComparison.Ordinal) + "</Signature>".Length)];
        string signatures = $"<asic:XAdESSignatures xmlns:asic=\"http://uri.etsi.org/02918/v1.2.1#\">{signature}</asic:XAdESSignatures>";

        byte[] Container(byte[] content) => new Containers.TestZip()
            .Add("mimetype", "application/vnd.etsi.asic-s+zip", deflate: false)
            .Add("my contract.txt", content)
            .Add("META-INF/signatures.xml", signatures)
            .Build();

        var (reader, good) = await AsicCorpusTests.ReadAsync(new ValidationInput("contract.asics", Container(data), []));
        var (_, bad) = await AsicCorpusTests.ReadAsync(new ValidationInput("contract.asics", Container("the contrast"u8.ToArray()), []));

        Assert.Equal("ASiC-S (XAdES)", reader.Container);
        SignatureEvidence intact = Assert.Single(good);
        Assert.True(intact.DataIntact, intact.DataProblem);
        Assert.True(intact.SignatureIntact);
        Assert.Null(intact.FormatProblem);
        SignatureEvidence altered = Assert.Single(bad);
        Assert.False(altered.DataIntact);
        Assert.True(altered.SignatureIntact);
    }

    private async Task<(byte[] Signed, byte[] Certificate)> SignWithXmlsecAsync(string key, string signatureMethod, string? detachedUri = null)
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
            {(detachedUri is null
                ? "<Reference URI=\"\"><Transforms><Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></Transforms>"
                : $"<Reference URI=\"{detachedUri}\">")}
            <DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>
            </SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></doc>
            """);
        (int exit, string error) = await RunAsync("xmlsec1", "--sign", "--privkey-pem", $"{keyPath},{certificatePath}", "--output", output, template);
        Assert.True(exit == 0, error);
        return (await File.ReadAllBytesAsync(output), certificate.RawData);
    }

    private async Task<(int Exit, string Error)> RunAsync(string program, params string[] arguments)
    {
        // Relative reference URIs resolve against the working directory (where the detached file is written).
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _directory };
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
