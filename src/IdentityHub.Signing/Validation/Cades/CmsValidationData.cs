using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;

namespace IdentityHub.Signing.Validation.Cades;

/// <summary>Certificates and revocation data a CMS signature carries, in DER.</summary>
internal sealed record CmsValidationValues(IReadOnlyList<byte[]> Certificates, IReadOnlyList<byte[]> Ocsp, IReadOnlyList<byte[]> Crls, bool HasLongTermValues);

/// <summary>
/// Collects validation data from SignedData (RFC 5652 §10.2.1 CertificateChoices and RevocationInfoChoices, with
/// RFC 5940 OCSP responses), CAdES certificate-values / revocation-values (EN 319 122-1 §5.4) and Adobe's
/// adbe-revocationInfoArchival signed attribute (ISO 32000-1 §12.8.3.3.2).
/// </summary>
internal static class CmsValidationData
{
    public static IReadOnlyList<byte[]> Certificates(Asn1Set? set) =>
        set is null ? [] : [.. set.Cast<Asn1Encodable>().Where(e => e is Asn1Sequence || e.ToAsn1Object() is Asn1Sequence).Select(e => X509CertificateStructure.GetInstance(e).GetEncoded(Asn1Encodable.Der))];

    public static (IReadOnlyList<byte[]> Ocsp, IReadOnlyList<byte[]> Crls) RevocationChoices(Asn1Set? set)
    {
        var ocsp = new List<byte[]>();
        var crls = new List<byte[]>();
        foreach (var element in set?.Cast<Asn1Encodable>() ?? [])
        {
            if (element.ToAsn1Object() is Asn1Sequence)
            {
                crls.Add(CertificateList.GetInstance(element).GetEncoded(Asn1Encodable.Der));
            }
            else if (element.ToAsn1Object() is Asn1TaggedObject { TagNo: 1 } tagged)
            {
                var other = OtherRevocationInfoFormat.GetInstance(tagged, false);
                if (other.InfoFormat.Id == CmsAttributes.OtherRevocationOcsp)
                {
                    ocsp.Add(other.Info.ToAsn1Object().GetEncoded(Asn1Encodable.Der));
                }
            }
        }

        return (ocsp, crls);
    }

    public static CmsValidationValues FromAttributes(AttributeTable? signed, AttributeTable? unsigned)
    {
        var certificates = new List<byte[]>();
        var ocsp = new List<byte[]>();
        var crls = new List<byte[]>();
        var longTerm = false;
        if (CmsSignerReader.Single(unsigned, CmsAttributes.CertificateValues) is Asn1Sequence values)
        {
            longTerm = true;
            certificates.AddRange(values.Cast<Asn1Encodable>().Select(c => X509CertificateStructure.GetInstance(c).GetEncoded(Asn1Encodable.Der)));
        }

        if (CmsSignerReader.Single(unsigned, CmsAttributes.RevocationValues) is Asn1Sequence revocationValues)
        {
            longTerm = true;
            Revocation(revocationValues, ocsp, crls, basicOcsp: true);
        }

        if (CmsSignerReader.Single(signed, CmsAttributes.AdobeRevocationInfoArchival) is Asn1Sequence archival)
        {
            Revocation(archival, ocsp, crls, basicOcsp: false);
        }

        return new CmsValidationValues(certificates, ocsp, crls, longTerm);
    }

    // RevocationValues (RFC 5126 §6.3.4): [0] CRLs, [1] BasicOCSPResponses; RevocationInfoArchival: [0] CRLs, [1] OCSPResponses.
    private static void Revocation(Asn1Sequence sequence, List<byte[]> ocsp, List<byte[]> crls, bool basicOcsp)
    {
        foreach (var element in sequence.Cast<Asn1Encodable>())
        {
            if (element is not Asn1TaggedObject tagged || Asn1Sequence.GetInstance(tagged, true) is not { } items)
            {
                continue;
            }

            foreach (var item in items.Cast<Asn1Encodable>())
            {
                if (tagged.TagNo == 0)
                {
                    crls.Add(CertificateList.GetInstance(item).GetEncoded(Asn1Encodable.Der));
                }
                else if (tagged.TagNo == 1)
                {
                    ocsp.Add(basicOcsp ? BasicOcspResponse.GetInstance(item).GetEncoded(Asn1Encodable.Der) : OcspResponse.GetInstance(item).GetEncoded(Asn1Encodable.Der));
                }
            }
        }
    }
}
