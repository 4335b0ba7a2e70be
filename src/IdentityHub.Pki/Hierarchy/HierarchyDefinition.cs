using System.Text.Json.Serialization;

namespace IdentityHub.Pki.Hierarchy;

/// <summary>pki/hierarchy.json: the CAs, the end-entity profiles and the service credentials the hub keeps.</summary>
internal sealed record HierarchyDefinition
{
    public required string Country { get; init; }

    public required string Organization { get; init; }

    public string? OrganizationIdentifier { get; init; }

    public required IReadOnlyList<AuthorityDefinition> Authorities { get; init; }

    public required IReadOnlyDictionary<string, ProfileDefinition> Profiles { get; init; }

    public IReadOnlyList<ServiceCredentialDefinition> ServiceCredentials { get; init; } = [];
}

internal sealed record AuthorityDefinition
{
    public required string Name { get; init; }

    public required string CommonName { get; init; }

    /// <summary>The parent CA's name; null for the self-signed root.</summary>
    public string? Issuer { get; init; }

    public required string Key { get; init; }

    public int ValidityYears { get; init; } = 10;

    public int? PathLength { get; init; }

    public IReadOnlyList<string> Policies { get; init; } = [];
}

internal sealed record ProfileDefinition
{
    /// <summary>Issuing CA; null means "every CA" (used by the OCSP responder profile).</summary>
    public string? Issuer { get; init; }

    public string? CommonName { get; init; }

    public required string Key { get; init; }

    public int ValidityDays { get; init; } = 365;

    public int RenewBeforeDays { get; init; } = 30;

    public IReadOnlyList<string> KeyUsage { get; init; } = [];

    public IReadOnlyList<string> ExtendedKeyUsage { get; init; } = [];

    public bool ExtendedKeyUsageCritical { get; init; }

    public bool OcspNoCheck { get; init; }

    /// <summary>Whether to write CRL distribution point and OCSP pointers (not for responders themselves).</summary>
    public bool RevocationPointers { get; init; } = true;

    public IReadOnlyList<string> Policies { get; init; } = [];
}

internal sealed record ServiceCredentialDefinition
{
    public required string Purpose { get; init; }

    public required string Profile { get; init; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(HierarchyDefinition))]
internal sealed partial class HierarchyJsonContext : JsonSerializerContext;
