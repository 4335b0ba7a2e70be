namespace IdentityHub.Signing.Validation.Cades;

/// <summary>The attribute and content-type OIDs the readers look for (RFC 5652, RFC 5035, RFC 3161, ETSI EN 319 122-1).</summary>
internal static class CmsAttributes
{
    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string ContentType = "1.2.840.113549.1.9.3";
    public const string MessageDigest = "1.2.840.113549.1.9.4";
    public const string SigningTime = "1.2.840.113549.1.9.5";

    /// <summary>RFC 2634 §5.4 ESSCertID (SHA-1).</summary>
    public const string SigningCertificate = "1.2.840.113549.1.9.16.2.12";

    /// <summary>RFC 5035 §3 ESSCertIDv2.</summary>
    public const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";

    /// <summary>RFC 3161 Appendix A: signature time-stamp, over the SignerInfo's signature value.</summary>
    public const string SignatureTimeStamp = "1.2.840.113549.1.9.16.2.14";

    /// <summary>EN 319 122-1 §5.3 / RFC 5126: certificate-values and revocation-values (CAdES-LT / -X-L).</summary>
    public const string CertificateValues = "1.2.840.113549.1.9.16.2.23";
    public const string RevocationValues = "1.2.840.113549.1.9.16.2.24";

    /// <summary>Archive time-stamps: v2 (RFC 5126 §6.4.1) and v3 (EN 319 122-1 §5.5.3).</summary>
    public const string ArchiveTimeStampV2 = "1.2.840.113549.1.9.16.2.48";
    public const string ArchiveTimeStampV3 = "0.4.0.1733.2.4";

    /// <summary>Adobe's adbe-revocationInfoArchival signed attribute (ISO 32000-1 §12.8.3.3.2).</summary>
    public const string AdobeRevocationInfoArchival = "1.2.840.113583.1.1.8";

    /// <summary>RFC 5940 §4.1 id-ri-ocsp-response: an OCSP response in SignedData's RevocationInfoChoices.</summary>
    public const string OtherRevocationOcsp = "1.3.6.1.5.5.7.16.2";
}
