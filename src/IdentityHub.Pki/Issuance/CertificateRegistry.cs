using IdentityHub.Data;
using IdentityHub.Data.Pki;
using Org.BouncyCastle.X509;

namespace IdentityHub.Pki;

/// <summary>Every certificate a hub CA signs is recorded, so OCSP can answer for it and CRLs can list it.</summary>
internal static class CertificateRegistry
{
    public static IssuedCertificateRecord Record(HubDbContext db, string issuerName, string profile, X509Certificate certificate, DateTimeOffset now)
    {
        var record = new IssuedCertificateRecord
        {
            IssuerName = issuerName,
            SerialNumber = SerialNumbers.ToHex(certificate.SerialNumber),
            SubjectDn = certificate.SubjectDN.ToString(),
            Profile = profile,
            NotBefore = new DateTimeOffset(certificate.NotBefore, TimeSpan.Zero),
            NotAfter = new DateTimeOffset(certificate.NotAfter, TimeSpan.Zero),
            IssuedAt = now,
            CertificateDer = certificate.GetEncoded(),
            Status = CertificateStatus.Good,
        };
        db.IssuedCertificates.Add(record);
        return record;
    }
}
