using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation.Cades;

/// <summary>
/// Reads one SignerInfo of a CMS SignedData (RFC 5652 §5) into <see cref="SignatureEvidence"/>: the signer
/// identified by its sid, the message-digest over the content (§5.4), the signature value over the DER signed
/// attributes (§5.4: "the DER encoding of the SignedAttrs value", so a non-DER set as sent fails, as in DSS), the
/// signing-certificate(-v2) reference (RFC 5035 §5.4), signing-time, signature time-stamps and CAdES validation data.
/// Used by the CAdES reader and, for PAdES, over a PDF ByteRange.
/// </summary>
internal static class CmsSignerReader
{
    /// <summary>Reads one SignerInfo; a structure that breaks ASN.1 parsing becomes a format problem of that signature alone.</summary>
    public static SignatureEvidence ReadSafely(string id, SignatureFormat format, SignedData signedData, Asn1Encodable signerInfo, SignedContent content)
    {
        try
        {
            return Read(id, format, signedData, SignerInfo.GetInstance(signerInfo), content);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or InvalidOperationException or CryptoException or FormatException)
        {
            return new SignatureEvidence { Id = id, Format = format, ClaimedLevel = SignatureLevel.None, FormatProblem = "The SignerInfo is malformed: " + ex.Message };
        }
    }

    public static SignatureEvidence Read(string id, SignatureFormat format, SignedData signedData, SignerInfo signer, SignedContent content)
    {
        var certificates = CmsValidationData.Certificates(signedData.Certificates);
        var revocation = CmsValidationData.RevocationChoices(signedData.CRLs);
        var digestAlgorithm = signer.DigestAlgorithm;
        var digestName = DigestUtilities.GetAlgorithmName(digestAlgorithm.Algorithm);
        var signatureName = CmsSignatureVerifier.Name(digestAlgorithm, signer.SignatureAlgorithm);
        var evidence = new SignatureEvidence
        {
            Id = id,
            Format = format,
            ClaimedLevel = SignatureLevel.None,
            Certificates = certificates,
            DigestAlgorithm = digestName ?? digestAlgorithm.Algorithm.Id,
            SignatureAlgorithm = signatureName,
        };

        var signingCertificate = FindSigner(signer.SignerID, certificates);
        IDigest digest;
        try
        {
            digest = DigestUtilities.GetDigest(digestAlgorithm.Algorithm);
        }
        catch (SecurityUtilityException)
        {
            return evidence with { FormatProblem = $"The digest algorithm {digestAlgorithm.Algorithm.Id} is not supported.", SigningCertificate = signingCertificate?.GetEncoded() };
        }

        var signedAttributes = signer.SignedAttrs is { } set ? new AttributeTable(set) : null;
        var unsignedAttributes = signer.UnsignedAttrs is { } unsigned ? new AttributeTable(unsigned) : null;
        var signatureValue = signer.Signature.GetOctets();

        bool? dataIntact = null;
        string? dataProblem = content.MissingReason;
        byte[]? signedBytes = null;
        if (signedAttributes is not null)
        {
            // RFC 5652 §5.3: with signed attributes, content-type and message-digest are both required, once each.
            if (Single(signedAttributes, CmsAttributes.MessageDigest) is not Asn1OctetString messageDigest || Single(signedAttributes, CmsAttributes.ContentType) is null)
            {
                return evidence with { FormatProblem = "The signed attributes lack a single content-type or message-digest attribute (RFC 5652 §5.3).", SigningCertificate = signingCertificate?.GetEncoded() };
            }

            if (content.Segments is not null)
            {
                var actual = Digest(digest, content);
                dataIntact = CryptographicOperations.FixedTimeEquals(actual, messageDigest.GetOctets());
                dataProblem = dataIntact.Value ? null : "The message-digest attribute does not match the digest of the signed content.";
            }

            signedBytes = signer.SignedAttrs.GetEncoded(Asn1Encodable.Der);
        }
        else if (content.Segments is not null)
        {
            // No signed attributes (adbe.pkcs7.detached may omit them): the signature is over the content itself.
            signedBytes = content.ToArray();
        }

        bool? signatureIntact = null;
        if (signingCertificate is not null && signedBytes is not null)
        {
            signatureIntact = CmsSignatureVerifier.Verify(digestAlgorithm, signer.SignatureAlgorithm, signingCertificate.GetPublicKey(), signedBytes, signatureValue);
            if (signedAttributes is null)
            {
                dataIntact = signatureIntact.Value ? true : null;
            }
        }

        var reference = signingCertificate is null ? null : SigningCertificateReference.Matches(signedAttributes, signingCertificate);
        var values = CmsValidationData.FromAttributes(signedAttributes, unsignedAttributes);
        var signatureTimestamps = CmsTimestamps.SignatureTimestamps(unsignedAttributes, signatureValue);
        var archiveTimestamps = CmsTimestamps.ArchiveTimestamps(unsignedAttributes);
        return evidence with
        {
            ClaimedLevel = ClaimedLevel(reference, signatureTimestamps.Count > 0, values.HasLongTermValues, archiveTimestamps.Count > 0),
            SigningCertificate = signingCertificate?.GetEncoded(),
            SigningCertificateReferenceMatches = reference,
            Certificates = [.. certificates, .. values.Certificates],
            OcspResponses = [.. revocation.Ocsp, .. values.Ocsp],
            Crls = [.. revocation.Crls, .. values.Crls],
            ClaimedSigningTime = SigningTime(signedAttributes),
            DataIntact = dataIntact,
            DataProblem = dataProblem,
            SignatureIntact = signatureIntact,
            SignatureTimestamps = signatureTimestamps,
            ArchiveTimestamps = archiveTimestamps,
        };
    }

    public static byte[] Digest(IDigest digest, SignedContent content)
    {
        foreach (var segment in content.Segments ?? [])
        {
            digest.BlockUpdate(segment.Span);
        }

        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result, 0);
        return result;
    }

    public static Asn1Encodable? Single(AttributeTable? table, string oid)
    {
        var values = table?.GetAll(new DerObjectIdentifier(oid));
        return values is { Count: 1 } && values[0] is Org.BouncyCastle.Asn1.Cms.Attribute { AttrValues.Count: 1 } attribute ? attribute.AttrValues[0] : null;
    }

    private static X509Certificate? FindSigner(SignerIdentifier sid, IReadOnlyList<byte[]> certificates)
    {
        foreach (var der in certificates)
        {
            var certificate = new X509Certificate(der);
            if (sid.ID is Asn1OctetString keyIdentifier)
            {
                var ski = certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
                if (ski is not null && SubjectKeyIdentifier.GetInstance(Asn1Object.FromByteArray(ski.GetOctets())).GetKeyIdentifier().AsSpan().SequenceEqual(keyIdentifier.GetOctets()))
                {
                    return certificate;
                }
            }
            else if (IssuerAndSerialNumber.GetInstance(sid.ID) is { } issuerSerial
                && issuerSerial.SerialNumber.Value.Equals(certificate.SerialNumber) && issuerSerial.Issuer.Equivalent(certificate.IssuerDN))
            {
                return certificate;
            }
        }

        return null;
    }

    private static DateTimeOffset? SigningTime(AttributeTable? signed) =>
        Single(signed, CmsAttributes.SigningTime) is { } value ? new DateTimeOffset(Org.BouncyCastle.Asn1.Cms.Time.GetInstance(value).ToDateTime().ToUniversalTime(), TimeSpan.Zero) : null;

    private static SignatureLevel ClaimedLevel(bool? reference, bool timestamped, bool longTerm, bool archived) =>
        reference != true ? SignatureLevel.None
        : !timestamped ? SignatureLevel.BaselineB
        : !longTerm ? SignatureLevel.BaselineT
        : archived ? SignatureLevel.BaselineLTA : SignatureLevel.BaselineLT;
}
