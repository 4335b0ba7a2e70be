using System.Security.Cryptography;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation.Chains;

internal static class CertificateInfos
{
    public static CertificateInfo Of(X509Certificate certificate) => new(
        certificate.SubjectDN.ToString(),
        certificate.IssuerDN.ToString(),
        certificate.SerialNumber.ToString(16).ToUpperInvariant(),
        new DateTimeOffset(certificate.NotBefore, TimeSpan.Zero),
        new DateTimeOffset(certificate.NotAfter, TimeSpan.Zero),
        Convert.ToHexStringLower(SHA256.HashData(certificate.GetEncoded())));

    public static bool ValidAt(X509Certificate certificate, DateTimeOffset time) =>
        time.UtcDateTime >= certificate.NotBefore && time.UtcDateTime <= certificate.NotAfter;
}
