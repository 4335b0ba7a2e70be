using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Inbound;

/// <summary>
/// The test-side SP signer (SignedXml): exclusive c14n, enveloped + exc-c14n transforms, one Reference to "#ID",
/// the signature inserted right after saml:Issuer (saml-core-2.0-os §5.4). Options let tests sign deviant shapes validly.
/// </summary>
internal static class TestSigner
{
    internal sealed record Options
    {
        public string? ReferenceUri { get; init; }

        public string SignatureMethod { get; init; } = "";

        public string DigestMethod { get; init; } = SamlAlgorithms.Sha256;

        public string Canonicalization { get; init; } = SamlAlgorithms.ExclusiveC14n;

        public string? InclusivePrefixes { get; init; }

        public X509Certificate2? KeyInfoCertificate { get; init; }
    }

    public static XmlDocument Sign(string xml, AsymmetricAlgorithm key, Options? options = null)
    {
        XmlDocument document = SampleMessages.Parse(xml);
        SignElement(document.DocumentElement!, key, options);
        return document;
    }

    /// <summary>Signs <paramref name="element"/> (which carries an ID) and inserts the signature after its Issuer.</summary>
    public static XmlElement SignElement(XmlElement element, AsymmetricAlgorithm key, Options? options = null)
    {
        IdentityHub.Saml.Signing.XmlDsigEcdsa.Register();
        options ??= new Options();
        var signedXml = new SignedXml(element.OwnerDocument) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = options.Canonicalization;
        signedXml.SignedInfo.SignatureMethod = options.SignatureMethod.Length > 0
            ? options.SignatureMethod
            : key is ECDsa ? SamlAlgorithms.EcdsaSha256 : SamlAlgorithms.RsaSha256;
        var reference = new Reference(options.ReferenceUri ?? "#" + element.GetAttribute("ID")) { DigestMethod = options.DigestMethod };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(options.InclusivePrefixes is null ? new XmlDsigExcC14NTransform() : new XmlDsigExcC14NTransform(options.InclusivePrefixes));
        signedXml.AddReference(reference);
        if (options.KeyInfoCertificate is not null)
        {
            var keyInfo = new KeyInfo();
            keyInfo.AddClause(new KeyInfoX509Data(options.KeyInfoCertificate));
            signedXml.KeyInfo = keyInfo;
        }

        signedXml.ComputeSignature();
        var signature = (XmlElement)element.OwnerDocument.ImportNode(signedXml.GetXml(), deep: true);
        XmlElement issuer = element.ChildNodes.OfType<XmlElement>().First(e => e.LocalName == "Issuer");
        element.InsertAfter(signature, issuer);
        return signature;
    }
}
