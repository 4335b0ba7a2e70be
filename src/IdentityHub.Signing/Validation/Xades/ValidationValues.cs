using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// Certificates and revocation data carried by a signature: ds:KeyInfo/ds:X509Data, xades:CertificateValues,
/// xades:RevocationValues (EN 319 132-1 §5.4) and xades141:TimeStampValidationData (§5.5.1).
/// </summary>
internal sealed record ValidationValues(
    IReadOnlyList<X509Certificate2> Candidates,
    IReadOnlyList<byte[]> Certificates,
    IReadOnlyList<byte[]> OcspResponses,
    IReadOnlyList<byte[]> Crls,
    bool HasCertificateValues,
    bool HasRevocationValues)
{
    // XmlNamespaceManager and its NameTable are not safe to share between concurrent validations: one per use.
    private static XmlNamespaceManager Namespaces => XadesProperties.CreateNamespaces();

    public static ValidationValues Read(XmlElement signature, XadesProperties properties)
    {
        IEnumerable<XmlElement> keyInfo = signature.SelectNodes("ds:KeyInfo/ds:X509Data/ds:X509Certificate", Namespaces)!.OfType<XmlElement>();
        List<XmlElement> unsigned = [.. properties.UnsignedSignatureProperties];
        IEnumerable<XmlElement> containers = unsigned.Concat(unsigned
            .Where(e => e.LocalName == "TimeStampValidationData" && e.NamespaceURI == XmlDsig.Xades141Namespace)
            .SelectMany(e => e.ChildNodes.OfType<XmlElement>()));
        List<XmlElement> certificateValues = [.. containers.Where(e => e.LocalName == "CertificateValues" && e.NamespaceURI == XmlDsig.XadesNamespace)];
        List<XmlElement> revocationValues = [.. containers.Where(e => e.LocalName == "RevocationValues" && e.NamespaceURI == XmlDsig.XadesNamespace)];

        List<byte[]> certificates = [.. keyInfo
            .Concat(certificateValues.SelectMany(v => v.SelectNodes("xades:EncapsulatedX509Certificate", Namespaces)!.OfType<XmlElement>()))
            .Select(e => XadesProperties.Base64(e.InnerText))
            .OfType<byte[]>()
            .DistinctBy(Convert.ToBase64String)];
        var candidates = new List<X509Certificate2>();
        foreach (byte[] der in certificates)
        {
            try
            {
                candidates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException)
            {
                // Not a certificate: it cannot be the signer's; the assessor sees the bytes among the carried certificates.
            }
        }

        List<byte[]> ocsp = [.. revocationValues.SelectMany(v => v.SelectNodes("xades:OCSPValues/xades:EncapsulatedOCSPValue", Namespaces)!.OfType<XmlElement>())
            .Select(e => XadesProperties.Base64(e.InnerText)).OfType<byte[]>()];
        List<byte[]> crls = [.. revocationValues.SelectMany(v => v.SelectNodes("xades:CRLValues/xades:EncapsulatedCRLValue", Namespaces)!.OfType<XmlElement>())
            .Select(e => XadesProperties.Base64(e.InnerText)).OfType<byte[]>()];
        return new ValidationValues(candidates, certificates, ocsp, crls,
            unsigned.Exists(e => e.LocalName == "CertificateValues"), unsigned.Exists(e => e.LocalName == "RevocationValues"));
    }
}
