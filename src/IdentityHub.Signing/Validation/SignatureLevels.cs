using IdentityHub.Signing.Validation.Chains;
using IdentityHub.Signing.Validation.Status;
using IdentityHub.Signing.Validation.TimeStamping;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation;

/// <summary>
/// The baseline level a signature reaches (EN 319 142-1 / 122-1 §6), from what it carries and what verified:
/// B-B needs the signed signing-certificate reference to match; B-T adds a technically good signature time-stamp
/// (imprint and TSA signature; trust in the TSA is a matter for the indication, as in DSS); B-LT adds, in the
/// signature, every certificate of the signer's and the signature time-stamps' paths, and revocation data for each
/// one that is not self-signed;
/// B-LTA adds a technically good archive / document time-stamp.
/// </summary>
internal static class SignatureLevels
{
    public static SignatureLevel Reached(SignatureEvidence evidence, X509Certificate signer, IReadOnlyList<X509Certificate> embedded, IReadOnlyList<VerifiedTimestamp> signatureTimestamps, IReadOnlyList<VerifiedTimestamp> archiveTimestamps, IReadOnlyList<X509Certificate> anchors)
    {
        if (evidence.SigningCertificateReferenceMatches != true)
        {
            return SignatureLevel.None;
        }

        // EN 319 142-1 §6.3: a PAdES signature reaches B-T with a signature time-stamp or a document time-stamp.
        var timestamped = signatureTimestamps.Any(t => t.Good) || (evidence.Format == SignatureFormat.Pades && archiveTimestamps.Any(t => t.Good));
        if (!timestamped)
        {
            return SignatureLevel.BaselineB;
        }

        // B-LT: validation data for the signer's path and for the TSA path of every signature time-stamp.
        var pool = embedded.Concat(signatureTimestamps.SelectMany(t => t.Certificates)).ToList();
        var paths = signatureTimestamps.Where(t => t.Good && t.Tsa is not null).Select(t => t.Tsa!).Prepend(signer);
        if (!paths.All(c => HasLongTermData(evidence, c, pool, anchors)))
        {
            return SignatureLevel.BaselineT;
        }

        return archiveTimestamps.Any(t => t.Good) ? SignatureLevel.BaselineLTA : SignatureLevel.BaselineLT;
    }

    private static bool HasLongTermData(SignatureEvidence evidence, X509Certificate certificate, IReadOnlyList<X509Certificate> embedded, IReadOnlyList<X509Certificate> anchors)
    {
        // The path from the embedded certificates, nothing fetched, up to a trust anchor or a self-signed root; the
        // anchor or root itself needs no revocation data (RFC 5280 §6.1: an anchor is trusted by configuration).
        var path = CertificatePathBuilder.Build(certificate, embedded, anchors);
        var top = path.Certificates[^1];
        if (!path.Trusted && !top.SubjectDN.Equivalent(top.IssuerDN))
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
