namespace IdentityHub.Data.Pki;

/// <summary>A certificate authority of the hub's hierarchy; its private key lives in the HSM under <see cref="KeyId"/>.</summary>
public sealed class CertificateAuthorityRecord
{
    /// <summary>The name used in pki/hierarchy.json and in URLs (e.g. "citizen-auth").</summary>
    public required string Name { get; set; }

    public string? IssuerName { get; set; }

    public required string SubjectDn { get; set; }

    public required string KeyId { get; set; }

    public required string KeyAlgorithm { get; set; }

    public required string SerialNumber { get; set; }

    public required byte[] CertificateDer { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    /// <summary>Last CRL number used (RFC 5280 §5.2.3: monotonically increasing).</summary>
    public long CrlNumber { get; set; }

    public byte[]? CrlDer { get; set; }

    public DateTimeOffset? CrlThisUpdate { get; set; }

    public DateTimeOffset? CrlNextUpdate { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
