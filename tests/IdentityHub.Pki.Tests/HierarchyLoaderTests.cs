using IdentityHub.Pki.Hierarchy;

namespace IdentityHub.Pki.Tests;

public sealed class HierarchyLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hierarchy-").FullName;

    [Fact]
    public void The_shipped_hierarchy_loads_with_defaults_applied()
    {
        var hierarchy = HierarchyLoader.Load("pki/hierarchy.json");

        Assert.Equal(["root", "citizen-auth", "citizen-sign", "services"], hierarchy.Authorities.Select(a => a.Name));
        Assert.Null(hierarchy.Authorities[0].Issuer);
        Assert.Empty(hierarchy.Profiles["protocol-signing"].ExtendedKeyUsage); // absent in JSON: default, not null
        Assert.True(hierarchy.Profiles["tsa"].ExtendedKeyUsageCritical);
        Assert.False(hierarchy.Profiles["ocsp-responder"].RevocationPointers);
    }

    [Theory]
    [InlineData("\"issuer\": \"nobody\", \"key\": \"P-256\"", "profile 'broken' names unknown issuer 'nobody'")]
    [InlineData("\"issuer\": \"sub\", \"key\": \"RSA-1024\"", "Unknown key algorithm 'RSA-1024'")]
    [InlineData("\"issuer\": \"sub\", \"key\": \"P-256\", \"keyUsage\": [ \"everything\" ]", "Unknown key usage 'everything'")]
    [InlineData("\"issuer\": \"sub\", \"key\": \"P-256\", \"qcStatements\": [ \"QcWhatever\" ]", "unknown QC statement 'QcWhatever'")]
    [InlineData("\"issuer\": \"sub\", \"key\": \"P-256\", \"qcStatements\": [ \"QcPDS\" ]", "has QcPDS but no \"pds\" location")]
    [InlineData("\"issuer\": \"sub\", \"key\": \"P-256\", \"qcStatements\": [ \"QcPDS\" ], \"pds\": [ { \"url\": \"http://x.example/pds\", \"language\": \"en\" } ]", "needs an https URL")]
    public void Mistakes_are_named(string fragment, string expected)
    {
        var broken = $$"""
            {
              "country": "XA", "organization": "Test",
              "authorities": [
                { "name": "root", "commonName": "Root", "key": "P-256" },
                { "name": "sub", "commonName": "Sub", "issuer": "root", "key": "P-256" }
              ],
              "profiles": {
                "ocsp-responder": { "key": "P-256", "keyUsage": [ "digitalSignature" ] },
                "broken": { {{fragment}} }
              }
            }
            """;
        var path = Path.Combine(_directory, "hierarchy.json");
        File.WriteAllText(path, broken);

        var ex = Assert.Throws<PkiConfigurationException>(() => HierarchyLoader.Load(path));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_names_the_setting()
    {
        var ex = Assert.Throws<PkiConfigurationException>(() => HierarchyLoader.Load("nowhere/hierarchy.json"));
        Assert.StartsWith("Pki:HierarchyFile 'nowhere/hierarchy.json' was not found", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
