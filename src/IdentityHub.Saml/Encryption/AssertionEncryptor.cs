using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Encryption;

/// <summary>
/// saml-core-2.0-os §2.3.4 EncryptedAssertion: the (already signed) Assertion is replaced in its document by
/// EncryptedAssertion/xenc:EncryptedData (Type Element), whose ds:KeyInfo carries the xenc:EncryptedKey for the SP's
/// encryption certificate (saml-core §6.2: the key travels inside the EncryptedData's KeyInfo).
/// </summary>
internal static class AssertionEncryptor
{
    private const string ElementType = "http://www.w3.org/2001/04/xmlenc#Element";

    public static void Encrypt(XmlElement assertion, X509Certificate2 spEncryptionCertificate, string dataAlgorithm, string keyTransport)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        ArgumentNullException.ThrowIfNull(spEncryptionCertificate);
        if (assertion is not { LocalName: "Assertion", NamespaceURI: SamlNames.Assertion } || assertion.ParentNode is null)
        {
            throw new ArgumentException("Only a saml:Assertion inside a document can be encrypted here.", nameof(assertion));
        }

        using var spKey = spEncryptionCertificate.GetRSAPublicKey()
            ?? throw new ArgumentException("The SP's encryption certificate does not hold an RSA key.", nameof(spEncryptionCertificate));

        MakeSelfContained(assertion);
        var plaintext = Encoding.UTF8.GetBytes(assertion.OuterXml);
        var contentKey = RandomNumberGenerator.GetBytes(ContentCipher.KeyBytesFor(dataAlgorithm));
        try
        {
            var cipherValue = ContentCipher.Encrypt(dataAlgorithm, contentKey, plaintext);
            var wrappedKey = KeyTransport.Wrap(keyTransport, spKey, contentKey);
            var encrypted = EncryptedAssertion(assertion.OwnerDocument, dataAlgorithm, keyTransport, spEncryptionCertificate, wrappedKey, cipherValue);
            assertion.ParentNode.ReplaceChild(encrypted, assertion);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// The decrypted octets are parsed on their own (xmlenc §4.5 for Type Element), so the Assertion must declare every
    /// namespace in scope. Copying the ancestors' declarations leaves the signature intact: exclusive c14n renders a
    /// namespace where it is used, not where it is declared.
    /// </summary>
    private static void MakeSelfContained(XmlElement assertion)
    {
        for (var ancestor = assertion.ParentNode as XmlElement; ancestor is not null; ancestor = ancestor.ParentNode as XmlElement)
        {
            foreach (XmlAttribute attribute in ancestor.Attributes)
            {
                if (attribute.NamespaceURI == SamlXml.XmlnsNamespace && !assertion.HasAttribute(attribute.Name))
                {
                    SamlXml.DeclareQualified(assertion, attribute.Name, attribute.Value);
                }
            }
        }
    }

    private static XmlElement EncryptedAssertion(
        XmlDocument document, string dataAlgorithm, string keyTransport, X509Certificate2 certificate, byte[] wrappedKey, byte[] cipherValue)
    {
        var encryptedAssertion = SamlXml.Saml(document, "EncryptedAssertion");
        var data = Xenc(document, "EncryptedData");
        SamlXml.Declare(data, SamlXml.XencPrefix, SamlNames.XmlEnc);
        SamlXml.Declare(data, SamlXml.DsPrefix, SamlNames.XmlDsig);
        data.SetAttribute("Type", ElementType);
        encryptedAssertion.AppendChild(data);

        // xmlenc §3.1 EncryptedType order: EncryptionMethod, ds:KeyInfo, CipherData.
        var method = Xenc(document, "EncryptionMethod");
        method.SetAttribute("Algorithm", dataAlgorithm);
        data.AppendChild(method);
        var keyInfo = data.AppendChild(Ds(document, "KeyInfo"))!;

        // xmlenc §3.5.1 EncryptedKey: EncryptionMethod, ds:KeyInfo (the SP certificate it was wrapped for), CipherData.
        var encryptedKey = keyInfo.AppendChild(Xenc(document, "EncryptedKey"))!;
        if (keyTransport == SamlAlgorithms.RsaOaep)
        {
            SamlXml.Declare((XmlElement)encryptedKey, SamlXml.Xenc11Prefix, SamlNames.XmlEnc11);
        }

        encryptedKey.AppendChild(KeyTransport.EncryptionMethod(document, keyTransport));
        var x509Data = encryptedKey.AppendChild(Ds(document, "KeyInfo"))!.AppendChild(Ds(document, "X509Data"))!;
        x509Data.AppendChild(Ds(document, "X509Certificate"))!.AppendChild(document.CreateTextNode(Convert.ToBase64String(certificate.RawData)));
        encryptedKey.AppendChild(CipherData(document, wrappedKey));

        data.AppendChild(CipherData(document, cipherValue));
        return encryptedAssertion;
    }

    private static XmlElement CipherData(XmlDocument document, byte[] value)
    {
        var cipherData = Xenc(document, "CipherData");
        cipherData.AppendChild(Xenc(document, "CipherValue"))!.AppendChild(document.CreateTextNode(Convert.ToBase64String(value)));
        return cipherData;
    }

    private static XmlElement Xenc(XmlDocument document, string localName) =>
        document.CreateElement(SamlXml.XencPrefix, localName, SamlNames.XmlEnc);

    private static XmlElement Ds(XmlDocument document, string localName) =>
        document.CreateElement(SamlXml.DsPrefix, localName, SamlNames.XmlDsig);
}
