using Org.BouncyCastle.Security.Certificates;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation.Chains;

/// <summary>
/// Builds a certification path (RFC 5280 §6.1, EN 319 102-1 §5.2.6 X.509 certificate validation) from the certificates
/// a signature carries to one of the configured trust anchors, offline: no AIA fetching. Each link must verify with
/// its issuer's key, and every issuer that is not itself an anchor must be a CA (basicConstraints cA, keyCertSign,
/// pathLenConstraint). Validity in time is judged by the assessor, which knows the proofs of existence.
/// </summary>
internal static class CertificatePathBuilder
{
    private const int MaxLength = 10;

    public static CertificatePath Build(X509Certificate certificate, IReadOnlyList<X509Certificate> pool, IReadOnlyList<X509Certificate> anchors)
    {
        var path = new List<X509Certificate> { certificate };
        var current = certificate;
        while (path.Count <= MaxLength)
        {
            if (anchors.Any(a => SameCertificate(a, current)))
            {
                return new CertificatePath(path, true, null);
            }

            var issuer = anchors.Concat(pool)
                .Where(c => c.SubjectDN.Equivalent(current.IssuerDN) && !path.Any(p => p.Equals(c)))
                .FirstOrDefault(c => Signed(current, c) && (anchors.Any(a => SameCertificate(a, c)) || IsCa(c, path.Count - 1)));
            if (issuer is null)
            {
                var selfSigned = current.SubjectDN.Equivalent(current.IssuerDN) && Signed(current, current);
                return new CertificatePath(path, false, selfSigned
                    ? $"The chain ends at '{current.SubjectDN}', a root that is not a trust anchor."
                    : $"No issuer certificate of '{current.SubjectDN}' that verifies its signature and may issue certificates is known (looked for '{current.IssuerDN}').");
            }

            path.Add(issuer);
            current = issuer;
        }

        return new CertificatePath(path, false, "The certificate chain is longer than " + MaxLength + " certificates.");
    }

    /// <summary>An anchor matches by equality, or by the same subject and key (a re-issued or cross-certified root).</summary>
    public static bool SameCertificate(X509Certificate a, X509Certificate b) =>
        a.Equals(b) || (a.SubjectDN.Equivalent(b.SubjectDN) && a.CertificateStructure.SubjectPublicKeyInfo.Equals(b.CertificateStructure.SubjectPublicKeyInfo));

    public static bool Signed(X509Certificate child, X509Certificate issuer)
    {
        try
        {
            return child.IsSignatureValid(issuer.GetPublicKey());
        }
        catch (Exception ex) when (ex is CertificateException or Org.BouncyCastle.Security.InvalidKeyException or ArgumentException or InvalidCastException or Org.BouncyCastle.Security.SecurityUtilityException)
        {
            return false;
        }
    }

    // RFC 5280 §6.1.4 (k), (l), (n): cA true, pathLenConstraint not exceeded by the CAs below, keyCertSign when keyUsage is present.
    private static bool IsCa(X509Certificate candidate, int intermediatesBelow)
    {
        var pathLength = candidate.GetBasicConstraints();
        if (pathLength < 0 || intermediatesBelow > pathLength)
        {
            return false;
        }

        var usage = candidate.GetKeyUsage();
        return usage is null || usage[5];
    }

    public static bool HasExtendedKeyUsage(X509Certificate certificate, string oid) =>
        certificate.GetExtendedKeyUsage()?.Any(k => k.Id == oid) == true;

}
