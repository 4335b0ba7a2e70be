using System.Security.Cryptography;
using IdentityHub.Signing.Documents;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace IdentityHub.Signing.Validation.Cades;

/// <summary>Time-stamp tokens in a SignerInfo's unsigned attributes, with their imprints checked.</summary>
internal static class CmsTimestamps
{
    /// <summary>RFC 3161 Appendix A / EN 319 122-1 §5.3: the imprint is the hash of the SignerInfo's signature value.</summary>
    public static IReadOnlyList<TimestampEvidence> SignatureTimestamps(AttributeTable? unsigned, byte[] signatureValue) =>
        [.. Values(unsigned, CmsAttributes.SignatureTimeStamp).Select(token => Imprint(token, [signatureValue]))];

    /// <summary>
    /// CAdES archive time-stamps (v2, v3). Their imprints cover a reconstruction of the whole signature (EN 319 122-1
    /// §5.5.3) that this validator does not rebuild, so they are reported and never counted as good.
    /// </summary>
    public static IReadOnlyList<TimestampEvidence> ArchiveTimestamps(AttributeTable? unsigned) =>
        [.. Values(unsigned, CmsAttributes.ArchiveTimeStampV2).Concat(Values(unsigned, CmsAttributes.ArchiveTimeStampV3))
            .Select(token => new TimestampEvidence(token, false, "The imprint of a CAdES archive time-stamp is not checked by this validator."))];

    /// <summary>Checks a token's message imprint against the digest of <paramref name="covered"/> with the token's own hash algorithm.</summary>
    public static TimestampEvidence Imprint(byte[] token, IReadOnlyList<ReadOnlyMemory<byte>> covered)
    {
        try
        {
            BerGuard.CheckedLength(token);
            var info = new TimeStampToken(new CmsSignedData(token)).TimeStampInfo;
            var digest = DigestUtilities.GetDigest(info.MessageImprintAlgOid);
            var actual = CmsSignerReader.Digest(digest, new SignedContent(covered));
            var matches = CryptographicOperations.FixedTimeEquals(actual, info.GetMessageImprintDigest());
            return new TimestampEvidence(token, matches, matches ? null : "The time-stamp's message imprint does not match what it should cover.");
        }
        catch (Exception ex) when (ex is TspException or CmsException or SecurityUtilityException or ArgumentException or InvalidCastException or IOException or DocumentRejectedException)
        {
            return new TimestampEvidence(token, false, "The time-stamp token cannot be read: " + ex.Message);
        }
    }

    private static IEnumerable<byte[]> Values(AttributeTable? table, string oid) =>
        (table?.GetAll(new DerObjectIdentifier(oid)) ?? new Asn1EncodableVector())
            .Cast<Org.BouncyCastle.Asn1.Cms.Attribute>()
            .SelectMany(a => a.AttrValues.Cast<Asn1Encodable>())
            .Select(v => v.ToAsn1Object().GetEncoded(Asn1Encodable.Der));
}
