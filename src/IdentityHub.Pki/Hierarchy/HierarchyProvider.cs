using Microsoft.Extensions.Options;

namespace IdentityHub.Pki.Hierarchy;

/// <summary>Loads pki/hierarchy.json once per process.</summary>
public sealed class HierarchyProvider(IOptions<PkiOptions> options)
{
    private readonly Lazy<HierarchyDefinition> _definition = new(() => HierarchyLoader.Load(options.Value.HierarchyFile));

    internal HierarchyDefinition Definition => _definition.Value;
}
