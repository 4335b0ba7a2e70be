using System.Diagnostics;
using System.Security.Cryptography.Xml;
using System.Xml;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Signers;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>xmlsec1, the independent XMLDSig verifier the XAdES and ASiC tests lean on, and what they read out of a signature.</summary>
internal static class XadesTools
{
    public const string Ds = "http://www.w3.org/2000/09/xmldsig#";
    public const string Xades = "http://uri.etsi.org/01903/v1.3.2#";

    /// <summary>A fresh directory with root.pem (trusted) and ca.pem (the signer's issuing CA, untrusted) for <paramref name="signer"/>.</summary>
    public static async Task<string> WorkDirectoryAsync(HubFixture hub, SignerIdentity signer, string name)
    {
        var dir = hub.WorkDirectory.CreateSubdirectory(name + "-" + Guid.NewGuid().ToString("N")[..6]).FullName;
        await Pem.WriteCertificateAsync(Path.Combine(dir, "root.pem"), signer.IssuerChainDer[^1]);
        await Pem.WriteCertificateAsync(Path.Combine(dir, "ca.pem"), signer.IssuerChainDer[0]);
        return dir;
    }

    /// <summary>
    /// xmlsec1 --verify with the hub root as the only trust anchor, the issuing CA as an untrusted intermediate, and
    /// SignedProperties' Id attribute declared as an ID so the "#xades-…" reference resolves.
    /// </summary>
    public static Task<Openssl.Result> VerifyAsync(string dir, string file, params string[] extra) =>
        RunAsync(dir, "xmlsec1",
        [
            "--verify", "--trusted-pem", "root.pem", "--untrusted-pem", "ca.pem",
            "--id-attr:Id", Xades + ":SignedProperties", .. extra, file,
        ]);

    public static Task<Openssl.Result> RunAsync(string dir, string program, IEnumerable<string> arguments) =>
        Openssl.RunToolAsync(dir, program, arguments, TimeSpan.FromSeconds(60));

    public static XmlDocument Parse(byte[] xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    public static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("ds", Ds);
        namespaces.AddNamespace("xades", Xades);
        namespaces.AddNamespace("asic", "http://uri.etsi.org/02918/v1.2.1#");
        return namespaces;
    }

    public static XmlElement Single(XmlDocument document, string xpath) =>
        Assert.IsAssignableFrom<XmlElement>(Assert.Single(document.SelectNodes(xpath, Namespaces(document))!.Cast<XmlNode>()));

    /// <summary>
    /// The exclusive canonical form of ds:SignatureValue, made here by .NET's own transform (not the hub's code): the
    /// octets a XAdES SignatureTimeStamp's imprint is computed over (EN 319 132-1 §5.3).
    /// </summary>
    public static byte[] CanonicalSignatureValue(XmlDocument document)
    {
        var signatureValue = Single(document, "//ds:Signature/ds:SignatureValue");
        var nodes = signatureValue.SelectNodes("descendant-or-self::node() | descendant-or-self::*/@*")!;
        var transform = new XmlDsigExcC14NTransform();
        transform.LoadInput(nodes);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }
}
