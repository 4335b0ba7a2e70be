using IdentityHub.Core.Keys;
using Microsoft.Extensions.Options;

namespace IdentityHub.Pki.Hierarchy;

/// <summary>Loads pki/hierarchy.json once per process.</summary>
public sealed class HierarchyProvider(IOptions<PkiOptions> options)
{
    private readonly Lazy<HierarchyDefinition> _definition = new(() => HierarchyLoader.Load(options.Value.HierarchyFile));

    internal HierarchyDefinition Definition => _definition.Value;

    /// <summary>The country code of the hierarchy (ISO 3166-1 alpha-2), as certificate subjects carry it.</summary>
    public string Country => Definition.Country;

    /// <summary>Every PKI disclosure statement URL the profiles write into certificates (QcPDS), with its profile's name.</summary>
    public IReadOnlyList<(string Profile, string Url)> PdsUrls =>
        [.. Definition.Profiles.SelectMany(p => p.Value.Pds.Select(pds => (p.Key, pds.Url)))];

    /// <summary>The key algorithm a profile's certificates certify, e.g. P-256 for citizen keys.</summary>
    public KeyAlgorithm ProfileKeyAlgorithm(string profileName) =>
        Definition.Profiles.TryGetValue(profileName, out var profile)
            ? KeyAlgorithms.Parse(profile.Key)
            : throw new PkiConfigurationException($"pki/hierarchy.json has no profile '{profileName}'.");
}
