namespace IdentityHub.Data.Pki;

/// <summary>One certificate a hub CA has signed: the registry behind OCSP and CRLs.</summary>
public sealed class IssuedCertificateRecord
{
    public long Id { get; set; }

    public required string IssuerName { get; set; }

    /// <summary>Lower-case hex of the positive serial number, no leading zeros.</summary>
    public required string SerialNumber { get; set; }

    public required string SubjectDn { get; set; }

    public required string Profile { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public required byte[] CertificateDer { get; set; }

    public CertificateStatus Status { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>RFC 5280 §5.3.1 CRLReason code, when revoked.</summary>
    public int? RevocationReason { get; set; }
}

public enum CertificateStatus
{
    Good = 0,
    Revoked = 1,
}
