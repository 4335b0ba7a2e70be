using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using IdentityHub.Signing.Signers;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace IdentityHub.Signing.Xades;

/// <summary>One signed data object: its URI in the ds:Reference, the SHA-256 of what the reference yields, and its media type.</summary>
/// <param name="Enveloped">Reference URI="" over the enclosing document, with the enveloped-signature and exc-c14n transforms.</param>
internal sealed record DataReference(string Uri, byte[] Sha256, string MimeType, bool Enveloped);

/// <summary>
/// Builds and signs a XAdES baseline B-B ds:Signature (ETSI EN 319 132-1 §6.3): a reference per data object, a
/// reference to the SignedProperties, KeyInfo with the signer's certificate, and the qualifying properties
/// SigningTime, SigningCertificateV2 and a DataObjectFormat per data object. SignedInfo is canonicalised here and its
/// digest signed through the key handle, so no private key and no SignedXml key adapter is involved.
/// </summary>
internal static class XadesSignatureBuilder
{
    private static readonly HashAlgorithmName DigestHash = HashAlgorithmName.SHA256;

    /// <summary>Appends the signed ds:Signature to <paramref name="parent"/> and returns it.</summary>
    public static XmlElement Build(XmlNode parent, IReadOnlyList<DataReference> references, SignerIdentity signer, DateTimeOffset signingTime)
    {
        var document = parent as XmlDocument ?? parent.OwnerDocument!;
        var xml = new XmlBuilder(document);
        var method = XmlSignatureMethod.For(signer.Key.Algorithm);
        var id = "id-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var signedPropertiesId = "xades-" + id;

        var signedInfo = xml.Ds("SignedInfo",
            Algorithm(xml.Ds("CanonicalizationMethod"), XadesNames.ExcC14n),
            Algorithm(xml.Ds("SignatureMethod"), method.Algorithm));
        for (var i = 0; i < references.Count; i++)
        {
            signedInfo.AppendChild(DataReferenceElement(xml, references[i], $"r-{id}-{i}"));
        }

        // EN 319 132-1 §4.3.1 / XAdES §6.3.1: the SignedProperties are signed through a reference of this Type; the
        // exc-c14n transform fixes the octets (without it a node-set is canonicalised inclusively, XMLDSig §4.3.3.2).
        var propertiesDigest = xml.Ds("DigestValue");
        signedInfo.AppendChild(XmlBuilder.With(XmlBuilder.With(xml.Ds("Reference",
            xml.Ds("Transforms", Algorithm(xml.Ds("Transform"), XadesNames.ExcC14n)),
            Algorithm(xml.Ds("DigestMethod"), ExclusiveCanonicalizer.DigestMethod(DigestHash)),
            propertiesDigest), "Type", XadesNames.SignedPropertiesType), "URI", "#" + signedPropertiesId));

        var signatureValue = XmlBuilder.With(xml.Ds("SignatureValue"), "Id", "value-" + id);
        var signedProperties = XmlBuilder.With(xml.Xades("SignedProperties",
            xml.Xades("SignedSignatureProperties",
                xml.XadesText("SigningTime", signingTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                SigningCertificateV2(xml, signer.CertificateDer)),
            DataObjectProperties(xml, references, id)), "Id", signedPropertiesId);
        var qualifyingProperties = XmlBuilder.Declare(
            XmlBuilder.With(xml.Xades("QualifyingProperties", signedProperties), "Target", "#" + id), XadesNames.XadesPrefix, XadesNames.XadesNamespace);

        var signature = XmlBuilder.Declare(XmlBuilder.With(xml.Ds("Signature",
            signedInfo,
            signatureValue,
            xml.Ds("KeyInfo", xml.Ds("X509Data", xml.DsText("X509Certificate", Convert.ToBase64String(signer.CertificateDer)))),
            xml.Ds("Object", qualifyingProperties)), "Id", id), XadesNames.DsPrefix, XadesNames.DsNamespace);
        parent.AppendChild(signature);

        // Digests are taken in place, once the signature sits in its final context (XMLDSig §3.1.1 reference generation).
        propertiesDigest.InnerText = Convert.ToBase64String(ExclusiveCanonicalizer.Digest(signedProperties, DigestHash));

        // XMLDSig §3.1.2: canonicalise SignedInfo with its CanonicalizationMethod, then sign with its SignatureMethod.
        signatureValue.InnerText = Convert.ToBase64String(method.Sign(signer.Key, ExclusiveCanonicalizer.Canonicalize(signedInfo)));
        return signature;
    }

    private static XmlElement DataReferenceElement(XmlBuilder xml, DataReference reference, string referenceId)
    {
        var element = XmlBuilder.With(XmlBuilder.With(xml.Ds("Reference"), "Id", referenceId), "URI", reference.Uri);
        if (reference.Enveloped)
        {
            // XMLDSig §6.6.4: drop this signature from the document's node-set, then exc-c14n it (the verifier's octets).
            element.AppendChild(xml.Ds("Transforms",
                Algorithm(xml.Ds("Transform"), XadesNames.EnvelopedSignatureTransform),
                Algorithm(xml.Ds("Transform"), XadesNames.ExcC14n)));
        }

        element.AppendChild(Algorithm(xml.Ds("DigestMethod"), ExclusiveCanonicalizer.DigestMethod(DigestHash)));
        element.AppendChild(xml.DsText("DigestValue", Convert.ToBase64String(reference.Sha256)));
        return element;
    }

    /// <summary>
    /// EN 319 132-1 §5.2.2.2: the digest of the signing certificate and, in IssuerSerialV2, the DER IssuerSerial of
    /// RFC 5035 (issuer as a directoryName GeneralName and the serial number), base64-encoded.
    /// </summary>
    private static XmlElement SigningCertificateV2(XmlBuilder xml, byte[] certificateDer)
    {
        var certificate = X509CertificateStructure.GetInstance(certificateDer);
        var issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(certificate.Issuer)), new DerInteger(certificate.SerialNumber.Value));
        return xml.Xades("SigningCertificateV2",
            xml.Xades("Cert",
                xml.Xades("CertDigest",
                    Algorithm(xml.Ds("DigestMethod"), ExclusiveCanonicalizer.DigestMethod(DigestHash)),
                    xml.DsText("DigestValue", Convert.ToBase64String(SHA256.HashData(certificateDer)))),
                xml.XadesText("IssuerSerialV2", Convert.ToBase64String(issuerSerial.GetDerEncoded()))));
    }

    /// <summary>EN 319 132-1 §5.2.4: a DataObjectFormat with the MimeType of each signed data object, tied to its reference.</summary>
    private static XmlElement DataObjectProperties(XmlBuilder xml, IReadOnlyList<DataReference> references, string id)
    {
        var properties = xml.Xades("SignedDataObjectProperties");
        for (var i = 0; i < references.Count; i++)
        {
            properties.AppendChild(XmlBuilder.With(
                xml.Xades("DataObjectFormat", xml.XadesText("MimeType", references[i].MimeType)), "ObjectReference", $"#r-{id}-{i}"));
        }

        return properties;
    }

    private static XmlElement Algorithm(XmlElement element, string algorithm) => XmlBuilder.With(element, "Algorithm", algorithm);
}
