namespace IdentityHub.Data.Pki;

/// <summary>
/// A key + certificate the hub itself uses to sign: an OCSP responder per CA ("ocsp:{ca}"),
/// the time-stamp unit ("tsa"), OIDC/SAML protocol signing ("protocol-signing"); names come from pki/hierarchy.json.
/// </summary>
public sealed class ServiceCredentialRecord
{
    public required string Purpose { get; set; }

    public required string IssuerName { get; set; }

    public required string KeyId { get; set; }

    public required string KeyAlgorithm { get; set; }

    public required string SerialNumber { get; set; }

    public required byte[] CertificateDer { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
