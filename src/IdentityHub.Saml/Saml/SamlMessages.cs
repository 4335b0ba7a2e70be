namespace IdentityHub.Saml.Saml;

/// <summary>The subject of an assertion or a LogoutRequest: saml-core-2.0-os §2.2.3 NameID with its Format and SPNameQualifier.</summary>
internal sealed record SamlSubject(string NameId, string NameIdFormat, string? SpNameQualifier);

/// <summary>One released attribute (saml-core-2.0-os §2.7.3.1): Name is the eIDAS URI, NameFormat is always uri.</summary>
internal sealed record SamlAttribute(string Name, string FriendlyName, IReadOnlyList<string> Values);

/// <summary>What an assertion for the Web Browser SSO profile (saml-profiles-2.0-os §4.1.4.2) says.</summary>
internal sealed record AssertionContent(
    string IdpEntityId,
    string SpEntityId,
    string AcsUrl,
    string? InResponseTo,
    SamlSubject Subject,
    DateTimeOffset AuthnInstant,
    string SessionIndex,
    string AuthnContextClassRef,
    IReadOnlyList<SamlAttribute> Attributes,
    DateTimeOffset Now,
    TimeSpan Lifetime);
