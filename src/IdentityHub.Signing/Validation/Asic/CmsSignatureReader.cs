using System.Security.Cryptography;
using IdentityHub.Signing.Validation.Xades;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using CmsAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace IdentityHub.Signing.Validation.Asic;

/// <summary>
/// Reads the SignerInfos of a detached CMS signature (RFC 5652, CAdES baseline EN 319 122-1) over given content into
/// evidence: message-digest (§5.4.2 / RFC 5652 §11.2), signature value, signing-certificate(-v2) (§5.2.2), signing-time,
/// signature time-stamps (§5.3) and the certificates and revocation data carried.
/// TO UNIFY: this is the ASiC reader's own small CMS reader; the CAdES reader for .p7s files (Validation/ root) does the
/// same job and the two should become one once both are merged.
/// </summary>
internal static class CmsSignatureReader
{
    private static readonly DerObjectIdentifier ArchiveTimestampV2 = new("1.2.840.113549.1.9.16.2.48");

    public static IReadOnlyList<SignatureEvidence> Read(byte[] signature, byte[] content, int firstOrdinal)
    {
        ArgumentNullException.ThrowIfNull(signature);
        CmsSignedData cms;
        List<X509Certificate> certificates;
        List<SignerInformation> signers;
        try
        {
            cms = new CmsSignedData(new CmsProcessableByteArray(content), signature);
            certificates = [.. cms.GetCertificates().EnumerateMatches(null)];
            signers = [.. cms.GetSignerInfos().GetSigners()];
        }
        catch (Exception ex) when (ex is CmsException or IOException or ArgumentException or InvalidCastException or InvalidOperationException)
        {
            return [new SignatureEvidence { Id = $"signer-{firstOrdinal}", Format = SignatureFormat.Cades, ClaimedLevel = SignatureLevel.None, FormatProblem = "not a CMS SignedData structure" }];
        }

        List<byte[]> crls = [.. cms.GetCrls().EnumerateMatches(null).Select(c => c.GetEncoded())];
        // RFC 5940 §2: OCSP responses as OtherRevocationInfoFormat, either a whole OCSPResponse (id-ri-ocsp-response) or,
        // as CAdES signers also write, a BasicOCSPResponse under id-pkix-ocsp-basic.
        List<byte[]> ocsp = [.. cms.GetOtherRevInfos(CmsObjectIdentifiers.id_ri_ocsp_response).EnumerateMatches(null)
            .Concat(cms.GetOtherRevInfos(OcspObjectIdentifiers.PkixOcspBasic).EnumerateMatches(null))
            .Select(o => o.GetEncoded(Asn1Encodable.Der))];
        return [.. signers.Select((signer, i) => ReadSigner(cms, signer, i + firstOrdinal, content, certificates, crls, ocsp))];
    }

    private static SignatureEvidence ReadSigner(CmsSignedData cms, SignerInformation signer, int ordinal, byte[] content, List<X509Certificate> certificates, List<byte[]> crls, List<byte[]> ocsp)
    {
        string? dataProblem = null;
        bool dataIntact;
        var messageDigest = signer.SignedAttributes?[CmsAttributes.MessageDigest]?.AttrValues[0] as Asn1OctetString;
        try
        {
            byte[] computed = DigestUtilities.CalculateDigest(signer.DigestAlgorithmID.Algorithm.Id, content);
            dataIntact = messageDigest is not null && CryptographicOperations.FixedTimeEquals(computed, messageDigest.GetOctets());
        }
        catch (SecurityUtilityException)
        {
            dataIntact = false;
            dataProblem = $"unsupported digest algorithm {signer.DigestAlgorithmID.Algorithm.Id}";
        }

        dataProblem ??= dataIntact ? null : messageDigest is null ? "no message-digest signed attribute" : "message-digest does not match the signed content";
        X509Certificate? certificate = certificates.FirstOrDefault(signer.SignerID.Match);
        bool? signatureIntact = certificate is null ? null : VerifyQuietly(signer, certificate);

        List<TimestampEvidence> signatureTimestamps = [.. Attributes(signer.UnsignedAttributes, PkcsObjectIdentifiers.IdAASignatureTimeStampToken)
            .Select(token => TimeStampTokens.Evaluate(token, signer.GetSignature(), "signature time-stamp imprint does not match the signature value"))];
        List<TimestampEvidence> archiveTimestamps = [.. Attributes(signer.UnsignedAttributes, CadesArchiveTimestampV3.AttributeType)
            .Select(token => CadesArchiveTimestampV3.Evaluate(cms, signer, content, token))
            .Concat(Attributes(signer.UnsignedAttributes, ArchiveTimestampV2)
                .Select(token => new TimestampEvidence(token, false, "CAdES archive-time-stamp (v2) imprint not checked")))];
        bool? referenceMatches = SigningCertificateMatches(signer, certificate);
        bool hasRevocation = crls.Count > 0 || ocsp.Count > 0;

        return new SignatureEvidence
        {
            Id = $"signer-{ordinal}",
            Format = SignatureFormat.Cades,
            ClaimedLevel = referenceMatches is null ? SignatureLevel.None
                : signatureTimestamps.Count == 0 ? SignatureLevel.BaselineB
                : !hasRevocation ? SignatureLevel.BaselineT
                : archiveTimestamps.Count == 0 ? SignatureLevel.BaselineLT
                : SignatureLevel.BaselineLTA,
            SigningCertificate = certificate?.GetEncoded(),
            SigningCertificateReferenceMatches = referenceMatches,
            Certificates = [.. certificates.Select(c => c.GetEncoded())
                .Concat(signatureTimestamps.Concat(archiveTimestamps).SelectMany(t => TimeStampTokens.Certificates(t.Token)))
                .DistinctBy(Convert.ToBase64String)],
            Crls = crls,
            OcspResponses = ocsp,
            ClaimedSigningTime = SigningTime(signer),
            DataIntact = dataIntact,
            DataProblem = dataProblem,
            SignatureIntact = signatureIntact,
            DigestAlgorithm = signer.DigestAlgorithmID.Algorithm.Id,
            SignatureAlgorithm = signer.SignatureAlgorithm.Algorithm.Id,
            SignatureTimestamps = signatureTimestamps,
            ArchiveTimestamps = archiveTimestamps,
        };
    }

    /// <summary>
    /// BouncyCastle's verification, which also recomputes the message digest: like DSS, a digest mismatch makes the
    /// signature not intact (MANIFEST.json fieldSemantics).
    /// </summary>
    private static bool VerifyQuietly(SignerInformation signer, X509Certificate certificate)
    {
        try
        {
            return signer.Verify(certificate);
        }
        catch (Exception ex) when (ex is CmsException or SecurityUtilityException or InvalidKeyException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>signing-certificate-v2 (RFC 5035) or signing-certificate (RFC 2634 §5.4): the first ESSCertID names the signer.</summary>
    private static bool? SigningCertificateMatches(SignerInformation signer, X509Certificate? certificate)
    {
        CmsAttribute? v2 = signer.SignedAttributes?[PkcsObjectIdentifiers.IdAASigningCertificateV2];
        CmsAttribute? v1 = signer.SignedAttributes?[PkcsObjectIdentifiers.IdAASigningCertificate];
        if (v2 is null && v1 is null)
        {
            return null;
        }

        if (certificate is null)
        {
            return false;
        }

        try
        {
            byte[] encoded = certificate.GetEncoded();
            if (v2 is not null)
            {
                EssCertIDv2 id = SigningCertificateV2.GetInstance(v2.AttrValues[0]).GetCerts()[0];
                byte[] hash = DigestUtilities.CalculateDigest(id.HashAlgorithm.Algorithm, encoded);
                return CryptographicOperations.FixedTimeEquals(hash, id.GetCertHash()) && SerialMatches(id.IssuerSerial?.Serial, certificate);
            }

            EssCertID v1Id = SigningCertificate.GetInstance(v1!.AttrValues[0]).GetCerts()[0];
            return CryptographicOperations.FixedTimeEquals(DigestUtilities.CalculateDigest("SHA-1", encoded), v1Id.GetCertHash())
                && SerialMatches(v1Id.IssuerSerial?.Serial, certificate);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or SecurityUtilityException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static bool SerialMatches(DerInteger? serial, X509Certificate certificate) =>
        serial is null || serial.Value.Equals(certificate.SerialNumber);

    private static DateTimeOffset? SigningTime(SignerInformation signer)
    {
        Asn1Encodable? value = signer.SignedAttributes?[CmsAttributes.SigningTime]?.AttrValues[0];
        return value is null ? null : new DateTimeOffset(Time.GetInstance(value).ToDateTime().ToUniversalTime(), TimeSpan.Zero);
    }

    private static IEnumerable<byte[]> Attributes(Org.BouncyCastle.Asn1.Cms.AttributeTable? table, DerObjectIdentifier type) =>
        table is null ? [] : table.GetAll(type).OfType<CmsAttribute>().SelectMany(a => a.AttrValues.OfType<Asn1Encodable>()).Select(v => v.GetEncoded(Asn1Encodable.Der));
}
