namespace IdentityHub.Saml.Samlp;

/// <summary>saml:NameID (saml-core-2.0-os §2.2.3), its value read in full.</summary>
internal sealed record SamlNameId(string Value, string? Format, string? NameQualifier, string? SpNameQualifier);

/// <summary>A verified samlp:LogoutRequest (saml-core-2.0-os §3.7.1).</summary>
internal sealed record LogoutRequestMessage(
    string Id,
    DateTimeOffset IssueInstant,
    string? Destination,
    string Issuer,
    SamlNameId NameId,
    IReadOnlyList<string> SessionIndexes,
    DateTimeOffset? NotOnOrAfter);

/// <summary>A verified samlp:LogoutResponse (saml-core-2.0-os §3.7.2, StatusResponseType §3.2.2).</summary>
internal sealed record LogoutResponseMessage(
    string Id,
    string? InResponseTo,
    DateTimeOffset IssueInstant,
    string? Destination,
    string Issuer,
    string StatusCode,
    string? SecondLevelStatusCode);
