using System.Text.Json.Serialization;

namespace IdentityHub.Pki.Hierarchy;

/// <summary>pki/hierarchy.json: the CAs, the end-entity profiles and the service credentials the hub keeps.</summary>
internal sealed record HierarchyDefinition
{
    public required string Country { get; init; }

    public required string Organization { get; init; }

    public string? OrganizationIdentifier { get; set; }

    public required IReadOnlyList<AuthorityDefinition> Authorities { get; init; }

    public required IReadOnlyDictionary<string, ProfileDefinition> Profiles { get; init; }

    public IReadOnlyList<ServiceCredentialDefinition> ServiceCredentials { get; set; } = [];
}

internal sealed record AuthorityDefinition
{
    public required string Name { get; init; }

    public required string CommonName { get; init; }

    /// <summary>The parent CA's name; null for the self-signed root.</summary>
    public string? Issuer { get; set; }

    public required string Key { get; init; }

    public int ValidityYears { get; set; } = 10;

    public int? PathLength { get; set; }

    public IReadOnlyList<string> Policies { get; set; } = [];
}

internal sealed record ProfileDefinition
{
    /// <summary>Issuing CA; null means "every CA" (used by the OCSP responder profile).</summary>
    public string? Issuer { get; set; }

    public string? CommonName { get; set; }

    public required string Key { get; init; }

    public int ValidityDays { get; set; } = 365;

    public int RenewBeforeDays { get; set; } = 30;

    public IReadOnlyList<string> KeyUsage { get; set; } = [];

    public IReadOnlyList<string> ExtendedKeyUsage { get; set; } = [];

    public bool ExtendedKeyUsageCritical { get; set; }

    public bool OcspNoCheck { get; set; }

    /// <summary>Whether to write CRL distribution point and OCSP pointers (not for responders themselves).</summary>
    public bool RevocationPointers { get; set; } = true;

    public IReadOnlyList<string> Policies { get; set; } = [];

    /// <summary>ETSI EN 319 412-5 statements: QcCompliance, QcSSCD, QcType-esign, QcPDS, SemanticsId-Natural.</summary>
    public IReadOnlyList<string> QcStatements { get; set; } = [];

    /// <summary>PKI disclosure statements for QcPDS (ETSI EN 319 412-5 §4.3.4).</summary>
    public IReadOnlyList<PdsLocationDefinition> Pds { get; set; } = [];
}

internal sealed record PdsLocationDefinition
{
    public required string Url { get; init; }

    /// <summary>ISO 639-1 two-letter language code.</summary>
    public required string Language { get; init; }
}

internal sealed record ServiceCredentialDefinition
{
    public required string Purpose { get; init; }

    public required string Profile { get; init; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(HierarchyDefinition))]
internal sealed partial class HierarchyJsonContext : JsonSerializerContext;
