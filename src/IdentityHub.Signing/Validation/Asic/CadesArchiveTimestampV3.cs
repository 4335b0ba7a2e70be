using System.Security.Cryptography;
using IdentityHub.Signing.Validation.Xades;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace IdentityHub.Signing.Validation.Asic;

/// <summary>
/// Checks a CAdES archive-time-stamp-v3 (EN 319 122-1 §5.5.3). Its message imprint covers, concatenated: the DER
/// eContentType, the hash of the signed content (with the imprint's algorithm), the SignerInfo's version, sid,
/// digestAlgorithm, signedAttrs ([0] IMPLICIT), signatureAlgorithm and signature, and the DER ATSHashIndexV3 value
/// carried as an unsigned attribute of the time-stamp token itself. The index lists hashes of the certificates, revocation
/// values and unsigned attributes present when the time-stamp was made: each must still be present, or the data the
/// time-stamp protects has been removed or altered.
/// TO UNIFY: with the CAdES reader's archive time-stamp check once the two readers are merged.
/// </summary>
internal static class CadesArchiveTimestampV3
{
    public static readonly DerObjectIdentifier AttributeType = new("0.4.0.1733.2.4");
    private static readonly DerObjectIdentifier HashIndexV3 = new("0.4.0.19122.1.5");

    public static TimestampEvidence Evaluate(CmsSignedData cms, SignerInformation signer, byte[] content, byte[] token)
    {
        TimeStampToken? parsed = TimeStampTokens.TryParse(token, out string? problem);
        if (parsed is null)
        {
            return new TimestampEvidence(token, false, problem);
        }

        Asn1Encodable? indexValue = parsed.UnsignedAttributes?[HashIndexV3]?.AttrValues[0];
        if (indexValue is not Asn1Sequence index || index.Count is < 3 or > 4)
        {
            return new TimestampEvidence(token, false, "archive-time-stamp-v3 without an ats-hash-index-v3");
        }

        string? missing = MissingFromIndex(cms, signer, index);
        if (missing is not null)
        {
            return new TimestampEvidence(token, false, missing);
        }

        try
        {
            string algorithm = parsed.TimeStampInfo.MessageImprintAlgOid;
            SignerInfo info = signer.SignerInfo;
            using var input = new MemoryStream();
            input.Write(SignedData.GetInstance(cms.ContentInfo.Content).EncapContentInfo.ContentType.GetEncoded(Asn1Encodable.Der));
            input.Write(DigestUtilities.CalculateDigest(algorithm, content));
            input.Write(info.Version.GetEncoded(Asn1Encodable.Der));
            input.Write(info.SignerID.GetEncoded(Asn1Encodable.Der));
            input.Write(info.DigestAlgorithm.GetEncoded(Asn1Encodable.Der));
            input.Write(new DerTaggedObject(false, 0, info.SignedAttrs).GetEncoded(Asn1Encodable.Der));
            input.Write(info.SignatureAlgorithm.GetEncoded(Asn1Encodable.Der));
            input.Write(info.Signature.GetEncoded(Asn1Encodable.Der));
            input.Write(index.GetEncoded(Asn1Encodable.Der));
            bool matches = CryptographicOperations.FixedTimeEquals(
                DigestUtilities.CalculateDigest(algorithm, input.ToArray()), parsed.TimeStampInfo.GetMessageImprintDigest());
            return new TimestampEvidence(token, matches, matches ? null : "archive-time-stamp-v3 imprint does not match the signature");
        }
        catch (SecurityUtilityException)
        {
            return new TimestampEvidence(token, false, $"unsupported imprint algorithm {parsed.TimeStampInfo.MessageImprintAlgOid}");
        }
    }

    /// <summary>ATSHashIndexV3 ::= SEQUENCE { hashIndAlgorithm DEFAULT sha256, certificatesHashIndex, crlsHashIndex, unsignedAttrsHashIndex }.</summary>
    private static string? MissingFromIndex(CmsSignedData cms, SignerInformation signer, Asn1Sequence index)
    {
        int offset = index.Count == 4 ? 1 : 0;
        string algorithm = offset == 1 ? Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier.GetInstance(index[0]).Algorithm.Id : "2.16.840.1.101.3.4.2.1";
        SignedData signedData = SignedData.GetInstance(cms.ContentInfo.Content);
        (string Name, IEnumerable<byte[]> Present)[] parts =
        [
            ("certificate", signedData.Certificates?.OfType<Asn1Encodable>().Select(c => c.GetEncoded(Asn1Encodable.Der)) ?? []),
            ("revocation value", signedData.CRLs?.OfType<Asn1Encodable>().Select(c => c.GetEncoded(Asn1Encodable.Der)) ?? []),
            ("unsigned attribute", signer.UnsignedAttributes?.ToAsn1EncodableVector().OfType<Org.BouncyCastle.Asn1.Cms.Attribute>().Select(AttributeOctets) ?? []),
        ];
        for (int i = 0; i < parts.Length; i++)
        {
            var present = new HashSet<string>(parts[i].Present.Select(p => Convert.ToBase64String(DigestUtilities.CalculateDigest(algorithm, p))));
            foreach (Asn1OctetString hash in Asn1Sequence.GetInstance(index[i + offset]).OfType<Asn1OctetString>())
            {
                if (!present.Contains(Convert.ToBase64String(hash.GetOctets())))
                {
                    return $"a {parts[i].Name} covered by the archive-time-stamp-v3 is no longer in the signature";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// EN 319 122-1 §5.5.2: in the v3 index an attribute is hashed as its DER attrType followed by the DER of each of its
    /// values (not as the whole Attribute, whose SET re-sorting made v2 indexes fragile).
    /// </summary>
    private static byte[] AttributeOctets(Org.BouncyCastle.Asn1.Cms.Attribute attribute)
    {
        using var octets = new MemoryStream();
        octets.Write(attribute.AttrType.GetEncoded(Asn1Encodable.Der));
        foreach (Asn1Encodable value in attribute.AttrValues)
        {
            octets.Write(value.GetEncoded(Asn1Encodable.Der));
        }

        return octets.ToArray();
    }
}
