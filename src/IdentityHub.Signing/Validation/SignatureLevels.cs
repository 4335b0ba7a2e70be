using IdentityHub.Signing.Validation.Chains;
using IdentityHub.Signing.Validation.Status;
using IdentityHub.Signing.Validation.TimeStamping;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation;

/// <summary>
/// The baseline level a signature reaches (EN 319 142-1 / 122-1 §6), from what it carries and what verified:
/// B-B needs the signed signing-certificate reference to match; B-T adds a technically good signature time-stamp
/// (imprint and TSA signature; trust in the TSA is a matter for the indication, as in DSS); B-LT adds, in the
/// signature, every certificate of the signer's path and revocation data for each one that is not self-signed;
/// B-LTA adds a technically good archive / document time-stamp.
/// </summary>
internal static class SignatureLevels
{
    public static SignatureLevel Reached(SignatureEvidence evidence, X509Certificate signer, IReadOnlyList<X509Certificate> embedded, IReadOnlyList<VerifiedTimestamp> signatureTimestamps, IReadOnlyList<VerifiedTimestamp> archiveTimestamps)
    {
        if (evidence.SigningCertificateReferenceMatches != true)
        {
            return SignatureLevel.None;
        }

        if (!signatureTimestamps.Any(t => t.Good))
        {
            return SignatureLevel.BaselineB;
        }

        if (!HasLongTermData(evidence, signer, embedded))
        {
            return SignatureLevel.BaselineT;
        }

        return archiveTimestamps.Any(t => t.Good) ? SignatureLevel.BaselineLTA : SignatureLevel.BaselineLT;
    }

    private static bool HasLongTermData(SignatureEvidence evidence, X509Certificate signer, IReadOnlyList<X509Certificate> embedded)
    {
        // The path from the embedded certificates alone, up to a self-signed root: nothing fetched, nothing configured.
        var path = CertificatePathBuilder.Build(signer, embedded, []);
        var top = path.Certificates[^1];
        if (!top.SubjectDN.Equivalent(top.IssuerDN))
        {
            return false;
        }

        for (var i = 0; i < path.Certificates.Count - 1; i++)
        {
            if (!RevocationChecker.Covers(path.Certificates[i], path.Certificates[i + 1], evidence.OcspResponses, evidence.Crls))
            {
                return false;
            }
        }

        return true;
    }
}
