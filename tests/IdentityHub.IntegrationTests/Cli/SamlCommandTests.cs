using IdentityHub.Testing.Saml;

namespace IdentityHub.IntegrationTests.Cli;

/// <summary>`hubctl saml sp …` as an operator registers an agency's SAML SP from its metadata, against a fresh database.</summary>
public sealed class SamlCommandTests : IAsyncLifetime
{
    private readonly string _database = "it_samlsp_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _directory = Directory.CreateTempSubdirectory("saml-sp-").FullName;
    private Dictionary<string, string?> _environment = [];

    public async Task InitializeAsync()
    {
        _environment = new()
        {
            ["ConnectionStrings__Hub"] = await TestDatabases.CreateAsync(_database),
            ["ConnectionStrings__HubOwner"] = TestDatabases.OwnerConnection(_database),
            ["Pki__PublicBaseUrl"] = "http://hub.test.invalid",
        };
        Assert.Equal(0, (await HubctlAsync("db", "migrate")).ExitCode);
    }

    public async Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await TestDatabases.DropAsync(_database);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_SP_is_registered_from_its_metadata_listed_disabled_enabled_and_removed_and_each_step_is_audited()
    {
        var metadata = Path.Combine(_directory, "land.xml");
        await File.WriteAllTextAsync(metadata, Metadata("https://land.agency.test/saml", "https://land.agency.test/saml/acs"));

        var added = await HubctlAsync("saml", "sp", "add", "--metadata", metadata, "--name", "Land registry", "--attributes", "CurrentGivenName,DateOfBirth", "--minimum-level", "high");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains("registered https://land.agency.test/saml", added.Output, StringComparison.Ordinal);

        var listed = (await HubctlAsync("saml", "sp", "list")).Output;
        Assert.Contains("https://land.agency.test/saml  \"Land registry\"  enabled  nameid=persistent  sector=land.agency.test  level>=high  attributes=CurrentGivenName,DateOfBirth", listed, StringComparison.Ordinal);
        Assert.Contains("signed-requests  encrypted", listed, StringComparison.Ordinal);

        Assert.Equal(0, (await HubctlAsync("saml", "sp", "disable", "https://land.agency.test/saml")).ExitCode);
        Assert.Contains(" disabled ", (await HubctlAsync("saml", "sp", "list")).Output, StringComparison.Ordinal);
        Assert.Equal(0, (await HubctlAsync("saml", "sp", "enable", "https://land.agency.test/saml")).ExitCode);
        Assert.Equal(0, (await HubctlAsync("saml", "sp", "remove", "https://land.agency.test/saml")).ExitCode);
        Assert.Contains("No SAML service providers are registered", (await HubctlAsync("saml", "sp", "list")).Output, StringComparison.Ordinal);
        Assert.Contains("audit chain intact: 4 event(s)", (await HubctlAsync("audit", "verify")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_SPs_settings_are_updated_and_its_metadata_refreshed_from_where_it_was_read_and_refusals_change_nothing()
    {
        const string EntityId = "https://health.agency.test/saml";
        var file = Path.Combine(_directory, "health.xml");
        await File.WriteAllTextAsync(file, Metadata(EntityId, "https://health.agency.test/saml/acs"));
        Assert.Equal(0, (await HubctlAsync("saml", "sp", "add", "--metadata", file, "--name", "Health")).ExitCode);

        // Only what is given changes.
        var updated = await HubctlAsync("saml", "sp", "update", EntityId, "--name", "Health insurance", "--minimum-level", "high", "--government-service", "true");
        Assert.True(updated.ExitCode == 0, updated.Error);
        Assert.Contains($"updated {EntityId}: ", updated.Output, StringComparison.Ordinal);
        Assert.Contains("minimumLevel", updated.Output, StringComparison.Ordinal);
        var listed = (await HubctlAsync("saml", "sp", "list")).Output;
        Assert.Contains($"{EntityId}  \"Health insurance\"  enabled  nameid=persistent  sector=health.agency.test  level>=high", listed, StringComparison.Ordinal);
        Assert.Contains("signed-requests  encrypted  response-signed", listed, StringComparison.Ordinal);
        Assert.Contains("government-service (no consent asked)", listed, StringComparison.Ordinal);

        // Checked as at registration: a refusal is a sentence, and nothing is written.
        var national = await HubctlAsync("saml", "sp", "update", EntityId, "--name-id-format", "national-id");
        Assert.Equal(1, national.ExitCode);
        Assert.Contains("entitled to it by law", national.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await HubctlAsync("saml", "sp", "update", "https://nobody.agency.test/saml", "--name", "X")).ExitCode);

        // The agency rotates its key and moves its ACS; the operator refreshes from where the metadata was read.
        await File.WriteAllTextAsync(file, Metadata(EntityId, "https://health.agency.test/saml/acs2"));
        var refreshed = await HubctlAsync("saml", "sp", "refresh", EntityId);
        Assert.True(refreshed.ExitCode == 0, refreshed.Error);
        Assert.Contains($"refreshed {EntityId}: ", refreshed.Output, StringComparison.Ordinal);
        Assert.Contains("assertionConsumerServices", refreshed.Output, StringComparison.Ordinal);
        Assert.Contains("signingCertificates", refreshed.Output, StringComparison.Ordinal);
        Assert.Contains("level>=high", (await HubctlAsync("saml", "sp", "list")).Output, StringComparison.Ordinal);

        // Another entity's metadata is not a newer copy of this one.
        var other = Path.Combine(_directory, "other.xml");
        await File.WriteAllTextAsync(other, Metadata("https://other.agency.test/saml", "https://other.agency.test/saml/acs"));
        var wrong = await HubctlAsync("saml", "sp", "refresh", EntityId, "--metadata", other);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("register https://other.agency.test/saml as a new SP instead", wrong.Error, StringComparison.Ordinal);

        // Registration, the update and the refresh: three events; the refusals wrote none.
        Assert.Contains("audit chain intact: 3 event(s)", (await HubctlAsync("audit", "verify")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_or_settings_the_hub_cannot_use_are_refused_with_a_sentence_and_nothing_is_registered()
    {
        var plainHttp = Path.Combine(_directory, "http.xml");
        await File.WriteAllTextAsync(plainHttp, Metadata("https://tax.agency.test/saml", "http://tax.agency.test/saml/acs"));
        var refused = await HubctlAsync("saml", "sp", "add", "--metadata", plainHttp, "--name", "Tax");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("hubctl: The metadata cannot be used: ", refused.Error, StringComparison.Ordinal);

        var good = Path.Combine(_directory, "tax.xml");
        await File.WriteAllTextAsync(good, Metadata("https://tax.agency.test/saml", "https://tax.agency.test/saml/acs"));
        var national = await HubctlAsync("saml", "sp", "add", "--metadata", good, "--name", "Tax", "--name-id-format", "national-id");
        Assert.Equal(1, national.ExitCode);
        Assert.Contains("--national-id-entitled", national.Error, StringComparison.Ordinal); // hubctl's flag is named
        var unknown = await HubctlAsync("saml", "sp", "add", "--metadata", good, "--name", "Tax", "--attributes", "Email");
        Assert.Contains("'Email' is not an attribute the hub releases", unknown.Error, StringComparison.Ordinal);
        var missing = await HubctlAsync("saml", "sp", "add", "--metadata", Path.Combine(_directory, "none.xml"), "--name", "Tax");
        Assert.Contains("the metadata could not be read from", missing.Error, StringComparison.Ordinal);

        Assert.Contains("No SAML service providers are registered", (await HubctlAsync("saml", "sp", "list")).Output, StringComparison.Ordinal);
        Assert.Equal(1, (await HubctlAsync("saml", "sp", "remove", "https://tax.agency.test/saml")).ExitCode);
    }

    /// <summary>SP metadata as an SP product writes it: one key for signing and encryption, an HTTP-POST ACS.</summary>
    private static string Metadata(string entityId, string acs)
    {
        var keys = SpKeys.Create("SP of " + entityId);
        var certificate = string.Concat(keys.CertificatePem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        return $"""
            <?xml version="1.0"?>
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entityId}">
              <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
                <md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
                <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="1" isDefault="true"/>
              </md:SPSSODescriptor>
            </md:EntityDescriptor>
            """;
    }

    private Task<ProcessResult> HubctlAsync(params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(BuiltAssemblies.Hubctl, arguments, _environment);
}
