namespace IdentityHub.IntegrationTests.Infrastructure;

/// <summary>Tests in this collection share one hub (xunit needs the definition in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class HubCollection : ICollectionFixture<HubFixture>
{
    public const string Name = "hub";
}
