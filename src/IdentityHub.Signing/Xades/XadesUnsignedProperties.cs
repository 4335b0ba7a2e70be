using System.Security.Cryptography;
using System.Xml;
using IdentityHub.Signing.Revocation;
using IdentityHub.Signing.TimeStamps;

namespace IdentityHub.Signing.Xades;

/// <summary>
/// Adds the unsigned qualifying properties that raise a signed B-B signature to B-T and B-LT (ETSI EN 319 132-1 §6.3):
/// the SignatureTimeStamp over ds:SignatureValue, then CertificateValues and RevocationValues with what a verifier needs
/// offline. They are not covered by the signature value, so adding them after signing keeps it valid.
/// </summary>
internal sealed class XadesUnsignedProperties(ITimeStampSource timeStamps, IRevocationSource revocation, TimeStampPaths timeStampPaths)
{
    private static readonly HashAlgorithmName TimeStampHash = HashAlgorithmName.SHA256;

    /// <summary>B-T: EN 319 132-1 §5.3: a time-stamp over the exc-c14n of ds:SignatureValue (the CanonicalizationMethod it names).</summary>
    public async Task<byte[]> AddSignatureTimeStampAsync(XmlElement signature, CancellationToken cancellationToken)
    {
        var xml = new XmlBuilder(signature.OwnerDocument);
        var signatureValue = Child(signature, XadesNames.DsNamespace, "SignatureValue");
        var digest = ExclusiveCanonicalizer.Digest(signatureValue, TimeStampHash);
        var token = await timeStamps.TimeStampAsync(digest, TimeStampHash, cancellationToken);
        UnsignedSignatureProperties(signature).AppendChild(XmlBuilder.With(xml.Xades("SignatureTimeStamp",
            XmlBuilder.With(xml.Ds("CanonicalizationMethod"), "Algorithm", XadesNames.ExcC14n),
            xml.XadesText("EncapsulatedTimeStamp", Convert.ToBase64String(token))), "Id", "ts-" + signature.GetAttribute("Id")));
        return token;
    }

    /// <summary>
    /// B-LT: EN 319 132-1 §5.4.1 CertificateValues with the certificates of the signer's path (its own certificate is in
    /// KeyInfo) and of the time-stamp's path, and §5.4.2 RevocationValues with the CRLs and OCSP responses for both.
    /// </summary>
    public async Task AddValidationDataAsync(XmlElement signature, IReadOnlyList<byte[]> signerPath, byte[] timeStampToken, CancellationToken cancellationToken)
    {
        var tsaPath = await timeStampPaths.PathOfAsync(timeStampToken, cancellationToken);
        var signerData = await revocation.CollectAsync(signerPath, cancellationToken);
        var tsaData = await revocation.CollectAsync(tsaPath, cancellationToken);

        var xml = new XmlBuilder(signature.OwnerDocument);
        var certificates = xml.Xades("CertificateValues");
        foreach (var der in Distinct(signerPath.Skip(1).Concat(tsaPath)))
        {
            certificates.AppendChild(xml.XadesText("EncapsulatedX509Certificate", Convert.ToBase64String(der)));
        }

        // Schema order (XAdES 1.3.2 RevocationValuesType): CRLValues, then OCSPValues.
        var values = xml.Xades("RevocationValues");
        var crls = Distinct(signerData.Crls.Concat(tsaData.Crls)).ToList();
        if (crls.Count > 0)
        {
            values.AppendChild(xml.Xades("CRLValues", [.. crls.Select(der => xml.XadesText("EncapsulatedCRLValue", Convert.ToBase64String(der)))]));
        }

        // EncapsulatedOCSPValue holds the DER OCSPResponse (EN 319 132-1 §5.4.2.2).
        var responses = Distinct(signerData.OcspResponses.Concat(tsaData.OcspResponses)).ToList();
        if (responses.Count > 0)
        {
            values.AppendChild(xml.Xades("OCSPValues", [.. responses.Select(der => xml.XadesText("EncapsulatedOCSPValue", Convert.ToBase64String(der)))]));
        }

        var unsigned = UnsignedSignatureProperties(signature);
        unsigned.AppendChild(certificates);
        unsigned.AppendChild(values);
    }

    private static XmlElement UnsignedSignatureProperties(XmlElement signature)
    {
        var qualifying = signature.GetElementsByTagName("QualifyingProperties", XadesNames.XadesNamespace).OfType<XmlElement>().Single();
        if (qualifying.GetElementsByTagName("UnsignedSignatureProperties", XadesNames.XadesNamespace).OfType<XmlElement>().SingleOrDefault() is { } existing)
        {
            return existing;
        }

        var xml = new XmlBuilder(signature.OwnerDocument);
        var unsignedSignatureProperties = xml.Xades("UnsignedSignatureProperties");
        qualifying.AppendChild(xml.Xades("UnsignedProperties", unsignedSignatureProperties));
        return unsignedSignatureProperties;
    }

    private static XmlElement Child(XmlElement parent, string namespaceUri, string name) =>
        parent.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == name && e.NamespaceURI == namespaceUri);

    private static IEnumerable<byte[]> Distinct(IEnumerable<byte[]> items) =>
        items.DistinctBy(Convert.ToBase64String);
}
