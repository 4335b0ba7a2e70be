using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Saml.Metadata;

/// <summary>An SP endpoint (saml-metadata-2.0-os §2.2.2, §2.2.3): Index and IsDefault only for indexed ones (ACS).</summary>
internal sealed record SpEndpoint(string Binding, string Location, int? Index, bool IsDefault, string? ResponseLocation);

/// <summary>What the hub imports from a service provider's metadata (saml-metadata-2.0-os §2.4.4 SPSSODescriptor).</summary>
internal sealed record SpMetadata(
    string EntityId,
    IReadOnlyList<SpEndpoint> AssertionConsumerServices,
    IReadOnlyList<SpEndpoint> SingleLogoutServices,
    IReadOnlyList<X509Certificate2> SigningCertificates,
    IReadOnlyList<X509Certificate2> EncryptionCertificates,
    bool AuthnRequestsSigned,
    bool WantAssertionsSigned,
    IReadOnlyList<string> NameIdFormats,
    IReadOnlyList<string> EncryptionMethods,
    DateTimeOffset? ValidUntil);
