using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// The fallback of <see cref="AttestationVerifier"/>: each certificate signed by the next, all valid now, and the last
/// one signed by an anchor's key under that anchor's subject name (RFC 5280 §6.1 with the anchor as name and key).
/// </summary>
internal static class AttestationChains
{
    public static string? AnchorOf(IReadOnlyList<X509Certificate2> certificates, IReadOnlyList<X509Certificate2> anchors, DateTime now)
    {
        try
        {
            var chain = certificates.Select(c => new BcCertificate(c.RawData)).ToList();
            for (var i = 0; i < chain.Count; i++)
            {
                if (!chain[i].IsValid(now))
                {
                    return null;
                }

                if (i + 1 < chain.Count)
                {
                    if (chain[i + 1].GetBasicConstraints() < 0 || !chain[i].IssuerDN.Equivalent(chain[i + 1].SubjectDN))
                    {
                        return null;
                    }

                    chain[i].Verify(chain[i + 1].GetPublicKey());
                }
            }

            var top = chain[^1];
            foreach (var anchor in anchors)
            {
                var bcAnchor = new BcCertificate(anchor.RawData);
                if (!top.IssuerDN.Equivalent(bcAnchor.SubjectDN))
                {
                    continue;
                }

                try
                {
                    top.Verify(bcAnchor.GetPublicKey());
                    return anchor.Subject;
                }
                catch (Exception ex) when (ex is InvalidKeyException or SignatureException or Org.BouncyCastle.Security.Certificates.CertificateException)
                {
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is InvalidKeyException or SignatureException or Org.BouncyCastle.Security.Certificates.CertificateException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
