namespace IdentityHub.Saml.Samlp;

/// <summary>A verified samlp:AuthnRequest (saml-core-2.0-os §3.4.1), as the SSO endpoint uses it.</summary>
internal sealed record AuthnRequestMessage(
    string Id,
    DateTimeOffset IssueInstant,
    string? Destination,
    string Issuer,
    string? AssertionConsumerServiceUrl,
    int? AssertionConsumerServiceIndex,
    string? ProtocolBinding,
    bool ForceAuthn,
    bool IsPassive,
    string? NameIdPolicyFormat,
    bool? AllowCreate,
    string? SpNameQualifier,
    string? Comparison,
    IReadOnlyList<string> RequestedClassRefs);
