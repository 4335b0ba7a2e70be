using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Signing;

/// <summary>
/// Signs what the IdP sends: enveloped XML DSig over a message, assertion or EntityDescriptor (saml-core-2.0-os §5), and
/// the query string of the HTTP-Redirect binding (saml-bindings-2.0-os §3.4.4.1). The key is only ever a signing key
/// (an HSM adapter, decision 0005): it goes to SignedXml.SigningKey, never into a certificate.
/// </summary>
internal static class SamlXmlSigner
{
    public static void Sign(XmlElement element, AsymmetricAlgorithm key, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(certificate);
        var id = element.GetAttribute("ID");
        if (id.Length == 0)
        {
            throw new ArgumentException("The element to sign has no ID attribute.", nameof(element));
        }

        XmlDsigEcdsa.Register();
        var signedXml = new IdOnlySignedXml(element.OwnerDocument) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignatureMethodFor(key);

        // saml-core §5.4.1–§5.4.4: one Reference to the signed element's ID, enveloped-signature then exclusive c14n,
        // SHA-256 digest. "xs" is an inclusive prefix because it is used only inside xsi:type values, which exclusive
        // c14n does not see (§5.4.4 warns about exactly this): it stays declared in what an SP canonicalises.
        var reference = new Reference("#" + id) { DigestMethod = SamlAlgorithms.Sha256 };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform(SamlXml.XsPrefix));
        signedXml.AddReference(reference);

        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificate));
        signedXml.KeyInfo = keyInfo;

        signedXml.ComputeSignature();
        var signature = element.OwnerDocument.ImportNode(signedXml.GetXml(), true);
        element.InsertAfter(signature, IssuerOf(element));
    }

    /// <summary>
    /// saml-bindings §3.4.4.1: the signature covers the octets of "SAMLRequest=…&amp;RelayState=…&amp;SigAlg=…" exactly as
    /// they are sent (URL-encoded); RSA is PKCS#1 v1.5, ECDSA is r‖s (the XML DSig form, RFC 4050 §3.3).
    /// </summary>
    public static string SignQuery(string signedQuery, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(signedQuery);
        var octets = Encoding.UTF8.GetBytes(signedQuery);
        var signature = key switch
        {
            RSA rsa => rsa.SignData(octets, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => ecdsa.SignData(octets, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw Unsupported(key),
        };
        return Convert.ToBase64String(signature);
    }

    public static string SignatureMethodFor(AsymmetricAlgorithm key) => key switch
    {
        RSA => SamlAlgorithms.RsaSha256,
        ECDsa => SamlAlgorithms.EcdsaSha256,
        _ => throw Unsupported(key),
    };

    /// <summary>
    /// The schema puts ds:Signature right after saml:Issuer in a Response, Assertion, LogoutRequest and LogoutResponse
    /// (saml-core §2.3.3, §3.2.1, §3.2.2) and first in an EntityDescriptor (saml-metadata §2.3.2), which has no Issuer.
    /// Null means "insert as the first child".
    /// </summary>
    private static XmlElement? IssuerOf(XmlElement element) =>
        element.ChildNodes.OfType<XmlElement>().FirstOrDefault() is { LocalName: "Issuer", NamespaceURI: SamlNames.Assertion } issuer ? issuer : null;

    private static ArgumentException Unsupported(AsymmetricAlgorithm? key) =>
        new($"A SAML signing key must be RSA or ECDSA, not {key?.GetType().Name ?? "null"}.", nameof(key));
}
