using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityHub.Core.Keys;
using IdentityHub.Signing.Xades;

namespace IdentityHub.Signing.Tests.XadesCreation;

/// <summary>
/// The B-B signature core for every key type the HSM can hold, each checked by xmlsec1 (RFC 6931 algorithm
/// identifiers, r || s for ECDSA, PKCS#1 v1.5 for RSA). Fast: a software key through the same seam, no hub.
/// </summary>
public sealed class XadesKeyTypeTests
{
    [Theory]
    [InlineData(KeyAlgorithm.EcP256, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256")]
    [InlineData(KeyAlgorithm.EcP384, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384")]
    [InlineData(KeyAlgorithm.Rsa2048, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")]
    [InlineData(KeyAlgorithm.Rsa4096, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384")]
    public async Task Xmlsec1_verifies_a_detached_B_B_signature_made_with_the_key_type(KeyAlgorithm algorithm, string signatureMethod)
    {
        using var key = new SoftwareSigningKey(algorithm);
        var signer = key.SelfSignedSigner();
        var content = Encoding.UTF8.GetBytes("any bytes at all\n");
        var document = XadesSigner.NewDocument();
        XadesSignatureBuilder.Build(document, [new DataReference("data.txt", SHA256.HashData(content), "text/plain", Enveloped: false)],
            signer, DateTimeOffset.UtcNow);
        var signature = XadesSigner.Serialize(document);

        var parsed = new XmlDocument();
        parsed.LoadXml(Encoding.UTF8.GetString(signature));
        var namespaces = new XmlNamespaceManager(parsed.NameTable);
        namespaces.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        Assert.Equal(signatureMethod, parsed.SelectSingleNode("//ds:SignatureMethod/@Algorithm", namespaces)!.Value);

        var dir = Directory.CreateTempSubdirectory("xades-keys-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, "data.txt"), content);
            await File.WriteAllBytesAsync(Path.Combine(dir, "signature.xml"), signature);
            await File.WriteAllTextAsync(Path.Combine(dir, "signer.pem"), new string(PemEncoding.Write("CERTIFICATE", signer.CertificateDer)) + "\n");
            var (exitCode, output) = await Xmlsec1Async(dir);
            Assert.True(exitCode == 0, output);

            await File.WriteAllBytesAsync(Path.Combine(dir, "data.txt"), Encoding.UTF8.GetBytes("any bytes at all!"));
            var (refused, _) = await Xmlsec1Async(dir);
            Assert.NotEqual(0, refused);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> Xmlsec1Async(string dir)
    {
        var start = new ProcessStartInfo("xmlsec1")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--verify", "--trusted-pem", "signer.pem", "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", "signature.xml",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
