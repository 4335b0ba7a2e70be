using System.Numerics;
using System.Security.Cryptography;
using System.Xml;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>One xades:Cert of SigningCertificate(V2) (EN 319 132-1 §5.2.2): the certificate's digest and, in V1, its serial number.</summary>
internal sealed record XadesCertReference(HashAlgorithmName Digest, byte[] DigestValue, BigInteger? SerialNumber);

/// <summary>The qualifying properties of one signature (EN 319 132-1 §4.3 and §5) as they appear, before any check.</summary>
internal sealed record XadesProperties(
    XmlElement? QualifyingProperties,
    XmlElement? SignedProperties,
    DateTimeOffset? SigningTime,
    IReadOnlyList<XadesCertReference> SigningCertificate,
    IReadOnlyList<XmlElement> UnsignedSignatureProperties,
    string? Problem)
{
    public static readonly XadesProperties None = new(null, null, null, [], [], null);

    // XmlNamespaceManager and its NameTable are not safe to share between concurrent validations: one per use.
    private static XmlNamespaceManager Namespaces => XadesProperties.CreateNamespaces();

    /// <summary>
    /// Reads the xades:QualifyingProperties in one of this signature's own ds:Object elements whose Target points at it
    /// (EN 319 132-1 §4.3.1); properties elsewhere in the document belong to some other signature and are ignored.
    /// </summary>
    public static XadesProperties Read(XmlElement signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        string id = signature.GetAttribute("Id");
        List<XmlElement> candidates = [.. signature.SelectNodes("ds:Object/xades:QualifyingProperties", Namespaces)!.OfType<XmlElement>()
            .Where(q => id.Length == 0 || q.GetAttribute("Target") == "#" + id)];
        if (candidates.Count == 0)
        {
            return None;
        }

        if (candidates.Count > 1)
        {
            return None with { Problem = "more than one xades:QualifyingProperties targets this signature" };
        }

        XmlElement qualifying = candidates[0];
        var signedProperties = qualifying.SelectSingleNode("xades:SignedProperties", Namespaces) as XmlElement;
        DateTimeOffset? signingTime = null;
        string? problem = null;
        string? time = signedProperties?.SelectSingleNode("xades:SignedSignatureProperties/xades:SigningTime", Namespaces)?.InnerText;
        if (time is not null)
        {
            try
            {
                signingTime = XmlConvert.ToDateTimeOffset(time.Trim());
            }
            catch (FormatException)
            {
                problem = "xades:SigningTime is not an xsd:dateTime";
            }
        }

        List<XadesCertReference> certificates = [];
        if (signedProperties is not null)
        {
            foreach (XmlElement cert in signedProperties.SelectNodes(
                "xades:SignedSignatureProperties/xades:SigningCertificate/xades:Cert | xades:SignedSignatureProperties/xades:SigningCertificateV2/xades:Cert",
                Namespaces)!.OfType<XmlElement>())
            {
                HashAlgorithmName? digest = XmlDsigAlgorithms.Digest(cert.SelectSingleNode("xades:CertDigest/ds:DigestMethod/@Algorithm", Namespaces)?.Value);
                byte[]? value = Base64(cert.SelectSingleNode("xades:CertDigest/ds:DigestValue", Namespaces)?.InnerText);
                string? serial = cert.SelectSingleNode("xades:IssuerSerial/ds:X509SerialNumber", Namespaces)?.InnerText.Trim();
                BigInteger? serialNumber = serial is not null && BigInteger.TryParse(serial, System.Globalization.CultureInfo.InvariantCulture, out BigInteger parsed) ? parsed : null;
                if (digest is not null && value is not null)
                {
                    certificates.Add(new XadesCertReference(digest.Value, value, serialNumber));
                }
            }
        }

        List<XmlElement> unsigned = [.. qualifying.SelectNodes("xades:UnsignedProperties/xades:UnsignedSignatureProperties/*", Namespaces)!.OfType<XmlElement>()];
        return new XadesProperties(qualifying, signedProperties, signingTime, certificates, unsigned, problem);
    }

    public static byte[]? Base64(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static XmlNamespaceManager CreateNamespaces()
    {
        var manager = new XmlNamespaceManager(new NameTable());
        manager.AddNamespace("ds", XmlDsig.Namespace);
        manager.AddNamespace("xades", XmlDsig.XadesNamespace);
        manager.AddNamespace("xades141", XmlDsig.Xades141Namespace);
        manager.AddNamespace("asic", XmlDsig.AsicNamespace);
        return manager;
    }
}
