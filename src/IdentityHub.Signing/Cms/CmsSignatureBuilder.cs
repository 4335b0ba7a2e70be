using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.TimeStamps;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;

namespace IdentityHub.Signing.Cms;

/// <summary>What goes into one detached CMS signature besides the content digest.</summary>
/// <param name="SigningTime">The signed signing-time attribute, or null to leave it out (PAdES).</param>
/// <param name="TimeStamp">Add a signature time-stamp as an unsigned attribute (B-T).</param>
internal sealed record CmsSignatureRequest(DateTimeOffset? SigningTime, bool TimeStamp);

/// <summary>
/// Builds a detached CMS SignedData (RFC 5652 §5) with one SignerInfo whose signed attributes are the ETSI baseline set
/// (<see cref="CadesAttributes"/>), signed through the HSM seam. Written here rather than with CmsSignedDataGenerator,
/// which adds signing-time and leaves out signing-certificate-v2.
/// </summary>
internal sealed class CmsSignatureBuilder(ITimeStampSource timeStamps)
{
    /// <summary>The digest algorithm for a signer: the one matching its key strength (SHA-256 for P-256 and RSA-2048/3072).</summary>
    public static HashAlgorithmName DigestFor(SignerIdentity signer) => signer.Key.Algorithm.DefaultHash();

    /// <summary>DER ContentInfo of a SignedData over a content whose <paramref name="contentDigest"/> the caller computed with <see cref="DigestFor"/>.</summary>
    public async Task<byte[]> SignAsync(byte[] contentDigest, SignerIdentity signer, CmsSignatureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contentDigest);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(request);
        var hash = DigestFor(signer);
        var digestAlgorithm = new AlgorithmIdentifier(DigestOid(hash)); // RFC 5754 §2: parameters absent
        var signedAttributes = CadesAttributes.Build(contentDigest, signer.CertificateDer, request.SigningTime);

        // RFC 5652 §5.4: the signature is over the DER SET OF the signed attributes (tag 0x31), not the [0] form.
        var factory = signer.Key.ToSignatureFactory(hash);
        var calculator = factory.CreateCalculator();
        var encodedAttributes = signedAttributes.GetEncoded(Asn1Encodable.Der);
        await using (var stream = calculator.Stream)
        {
            stream.Write(encodedAttributes);
        }

        var signatureValue = calculator.GetResult().Collect(); // ECDSA already in DER Ecdsa-Sig-Value form
        Asn1Set? unsignedAttributes = null;
        if (request.TimeStamp)
        {
            // RFC 3161 appendix A / EN 319 122-1 §5.3: the token's imprint is the hash of the SignerInfo's signature value.
            var token = await timeStamps.TimeStampAsync(SHA256.HashData(signatureValue), HashAlgorithmName.SHA256, cancellationToken);
            unsignedAttributes = new DerSet(new Attribute(CadesAttributes.SignatureTimeStampToken, new DerSet(Asn1Object.FromByteArray(token))));
        }

        var certificate = X509CertificateStructure.GetInstance(signer.CertificateDer);
        var signerInfo = new SignerInfo(
            new SignerIdentifier(new IssuerAndSerialNumber(certificate.Issuer, certificate.SerialNumber)),
            digestAlgorithm,
            signedAttributes,
            (AlgorithmIdentifier)factory.AlgorithmDetails,
            new DerOctetString(signatureValue),
            unsignedAttributes);

        // The signer's certificate and its whole chain, so a verifier offline can build the path (EN 319 122-1 §5.2.2.2).
        var certificates = new DerSet(signer.FullChainDer.Select(der => (Asn1Encodable)X509CertificateStructure.GetInstance(der)).ToArray());
        var signedData = new SignedData(
            new DerSet(digestAlgorithm),
            new ContentInfo(CmsObjectIdentifiers.Data, null), // detached: eContent absent (RFC 5652 §5.2)
            certificates,
            null,
            new DerSet(signerInfo));
        return new ContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
    }

    public static DerObjectIdentifier DigestOid(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => NistObjectIdentifiers.IdSha256,
        "SHA384" => NistObjectIdentifiers.IdSha384,
        "SHA512" => NistObjectIdentifiers.IdSha512,
        _ => throw new CryptographicException($"Digest {hash.Name} is not supported for signatures."),
    };
}
