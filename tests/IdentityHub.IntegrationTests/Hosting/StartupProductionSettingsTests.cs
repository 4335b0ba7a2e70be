using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace IdentityHub.IntegrationTests.Hosting;

/// <summary>
/// A hub built as production builds it, on a database and token that are otherwise ready: example values stop it
/// with one message naming each setting; in Development the same values only warn (every other test's hub).
/// </summary>
[Collection(HubCollection.Name)]
public sealed class StartupProductionSettingsTests(HubFixture hub)
{
    [Fact]
    public async Task A_production_hub_with_example_values_refuses_to_start_naming_each_setting()
    {
        await using var node = HubNodes.Build(hub.ConnectionString, environmentName: Environments.Production);

        var ex = await Assert.ThrowsAsync<StartupException>(() => StartupChecks.RunAsync(node.Services, CancellationToken.None));

        Assert.Contains("Pki:PublicBaseUrl 'http://127.0.0.1:5080' is a loopback address", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Pki:HierarchyFile profiles.citizen-signature.pds url 'https://pki.identityhub.example/pds/en' is an example host", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Pki:HierarchyFile country 'XA' is a user-assigned", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Pki:Tsa:PolicyOid '2.999.3161.1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Enrolment:ActivationUrl 'https://eid.identityhub.example/activate' is an example host", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task A_development_hub_with_the_same_values_starts()
    {
        await using var node = HubNodes.Build(hub.ConnectionString, environmentName: Environments.Development);

        await StartupChecks.RunAsync(node.Services, CancellationToken.None);
    }

    [Fact]
    public async Task A_production_hub_with_real_values_starts()
    {
        var hierarchy = hub.PathOf("hierarchy-production.json");
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "pki", "hierarchy.json"));
        await File.WriteAllTextAsync(hierarchy, text
            .Replace("\"country\": \"XA\"", "\"country\": \"BE\"", StringComparison.Ordinal)
            .Replace("https://pki.identityhub.example/pds/en", "https://pki.eid.gov.be/pds/en", StringComparison.Ordinal));
        await using var node = HubNodes.Build(hub.ConnectionString, b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pki:HierarchyFile"] = hierarchy,
            ["Pki:PublicBaseUrl"] = "http://pki.eid.gov.be",
            ["Pki:Tsa:PolicyOid"] = "1.3.6.1.4.1.99999.3161.1",
            ["Enrolment:ActivationUrl"] = "https://eid.gov.be/activate",
        }), Environments.Production);

        await StartupChecks.RunAsync(node.Services, CancellationToken.None);
    }
}
