using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using AttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;

namespace IdentityHub.Signing.Tests.Validation.Inputs;

/// <summary>
/// Detached CMS signatures made with BouncyCastle's generator over any <see cref="ISignatureFactory"/> (an HSM key's
/// adapter or a software key), with signing-certificate-v2 (RFC 5035) and, optionally, a signature time-stamp.
/// </summary>
internal static class TestCms
{
    public static byte[] SignDetached(byte[] content, ISignatureFactory factory, X509Certificate signer, IEnumerable<X509Certificate> chain, bool withSigningCertificate = true, IEnumerable<byte[]>? crls = null) =>
        Sign(content, factory, signer, chain, encapsulate: false, referenced: withSigningCertificate ? signer : null, crls: crls);

    /// <summary>
    /// The general form: <paramref name="referenced"/> is the certificate named in signing-certificate-v2 (null: no
    /// attribute), <paramref name="certificates"/> false leaves the certificates out, <paramref name="crls"/> go into SignedData.
    /// </summary>
    public static byte[] Sign(byte[] content, ISignatureFactory factory, X509Certificate signer, IEnumerable<X509Certificate> chain, bool encapsulate, X509Certificate? referenced, bool certificates = true, IEnumerable<byte[]>? crls = null)
    {
        var table = new AttributeTable(new Asn1EncodableVector());
        if (referenced is not null)
        {
            var id = new EssCertIDv2(DigestUtilities.CalculateDigest(NistObjectIdentifiers.IdSha256, referenced.GetEncoded()),
                new IssuerSerial(new GeneralNames(new GeneralName(referenced.IssuerDN)), new DerInteger(referenced.SerialNumber)));
            table = table.Add(PkcsObjectIdentifiers.IdAASigningCertificateV2, new SigningCertificateV2([id]));
        }

        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(table))
            .Build(factory, signer));
        if (certificates)
        {
            generator.AddCertificates(CollectionUtilities.CreateStore(chain.Prepend(signer).ToList()));
        }

        if (crls is not null)
        {
            generator.AddCrls(CollectionUtilities.CreateStore(crls.Select(c => new X509Crl(c)).ToList()));
        }

        return generator.Generate(new CmsProcessableByteArray(content), encapsulate).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>Adds a signature-time-stamp attribute (RFC 3161 Appendix A) whose token <paramref name="timestamp"/> makes over the signature value.</summary>
    public static async Task<byte[]> AddSignatureTimestampAsync(byte[] cms, Func<byte[], Task<byte[]>> timestamp)
    {
        var data = new CmsSignedData(cms);
        var signers = new List<SignerInformation>();
        foreach (var signer in data.GetSignerInfos().GetSigners())
        {
            var token = await timestamp(signer.GetSignature());
            var attribute = new Attribute(PkcsObjectIdentifiers.IdAASignatureTimeStampToken, new DerSet(Asn1Object.FromByteArray(token)));
            signers.Add(SignerInformation.ReplaceUnsignedAttributes(signer, new AttributeTable(new Asn1EncodableVector(attribute))));
        }

        return CmsSignedData.ReplaceSigners(data, new SignerInformationStore(signers)).GetEncoded(Asn1Encodable.Der);
    }
}
