using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Saml.Metadata;

/// <summary>What the IdP's own metadata (saml-metadata-2.0-os §2.3.2, §2.4.3) publishes.</summary>
internal sealed record IdpMetadataContent(
    string EntityId,
    string SsoUrl,
    string? SloUrl,
    X509Certificate2 SigningCertificate,
    X509Certificate2? EncryptionCertificate,
    bool WantAuthnRequestsSigned,
    DateTimeOffset ValidUntil,
    TimeSpan CacheDuration,
    string? OrganizationName,
    string? OrganizationUrl,
    string? TechnicalContactEmail);
