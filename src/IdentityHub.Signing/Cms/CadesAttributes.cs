using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace IdentityHub.Signing.Cms;

/// <summary>
/// The signed attributes of an ETSI baseline CMS signature (EN 319 122-1 §5.2, used by PAdES through EN 319 142-1
/// §6.3): content-type, message-digest, signing-certificate-v2 and, only where the profile allows it, signing-time.
/// </summary>
internal static class CadesAttributes
{
    /// <summary>id-aa-signatureTimeStampToken (RFC 3161 appendix A; EN 319 122-1 §5.3).</summary>
    public static readonly DerObjectIdentifier SignatureTimeStampToken = PkcsObjectIdentifiers.IdAASignatureTimeStampToken;

    /// <summary>
    /// The DER SET OF Attribute that is signed. <paramref name="signingTime"/> is null for PAdES, whose baseline forbids
    /// the CMS signing-time (EN 319 142-1 §6.3, table 1: the time is /M in the signature dictionary); CAdES B-B requires
    /// it (EN 319 122-1 §6.3).
    /// </summary>
    public static DerSet Build(ReadOnlySpan<byte> contentDigest, byte[] signerCertificateDer, DateTimeOffset? signingTime)
    {
        var attributes = new Asn1EncodableVector
        {
            // RFC 5652 §11.1: content-type must be present whenever signed attributes are; detached data is id-data.
            new Attribute(CmsAttributes.ContentType, new DerSet(CmsObjectIdentifiers.Data)),
            // RFC 5652 §11.2: the digest of the (detached) content with the SignerInfo's digestAlgorithm.
            new Attribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(contentDigest.ToArray()))),
            new Attribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(SigningCertificateV2(signerCertificateDer))),
        };
        if (signingTime is { } time)
        {
            attributes.Add(new Attribute(CmsAttributes.SigningTime, new DerSet(new Org.BouncyCastle.Asn1.Cms.Time(time.UtcDateTime))));
        }

        // DerSet sorts its members: the DER form is what is hashed and signed (RFC 5652 §5.4).
        return new DerSet(attributes);
    }

    /// <summary>
    /// RFC 5035 §5.4: SigningCertificateV2 with one ESSCertIDv2 over the signer's certificate. SHA-256 is the
    /// default hashAlgorithm and so is left out of the DER; issuerSerial is included, as EN 319 122-1 §5.2.2.3 asks.
    /// </summary>
    private static SigningCertificateV2 SigningCertificateV2(byte[] certificateDer)
    {
        var certificate = X509CertificateStructure.GetInstance(certificateDer);
        var issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(certificate.Issuer)), certificate.SerialNumber);
        return new SigningCertificateV2([new EssCertIDv2(SHA256.HashData(certificateDer), issuerSerial)]);
    }
}
