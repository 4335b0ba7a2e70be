namespace IdentityHub.IntegrationTests.Cli;

/// <summary>`hubctl oidc keys` and `hubctl oidc rotate-keys` as an operator rotates the signing keys, against a fresh database.</summary>
public sealed class OidcKeyCommandTests : IAsyncLifetime
{
    private readonly string _database = "it_oidckeys_" + Guid.NewGuid().ToString("N")[..8];
    private Dictionary<string, string?> _environment = [];

    public async Task InitializeAsync()
    {
        _environment = new()
        {
            ["ConnectionStrings__Hub"] = await TestDatabases.CreateAsync(_database),
            ["ConnectionStrings__HubOwner"] = TestDatabases.OwnerConnection(_database),
            ["Pki__PublicBaseUrl"] = "http://hub.test.invalid",
            // The smallest RSA key the hub allows: the test is about states, not key strength, and SoftHSM is slow at RSA.
            ["Oidc__SigningKeys__RsaKeySize"] = "2048",
        };
        Assert.Equal(0, (await HubctlAsync("db", "migrate")).ExitCode);
    }

    public async Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await TestDatabases.DropAsync(_database);
    }

    [Fact]
    public async Task Keys_are_created_rotated_only_once_the_next_key_was_published_long_enough_or_forced_and_listed_with_their_states()
    {
        Assert.Contains("No signing keys yet", (await HubctlAsync("oidc", "keys")).Output, StringComparison.Ordinal);
        var first = await HubctlAsync("oidc", "rotate-keys");
        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("created the first keys (current and next)", first.Output, StringComparison.Ordinal);
        var listed = Lines((await HubctlAsync("oidc", "keys")).Output);
        Assert.Equal(4, listed.Length);
        Assert.Equal(2, listed.Count(l => l.Contains(" current ", StringComparison.Ordinal)));
        Assert.Equal(2, listed.Count(l => l.Contains(" next ", StringComparison.Ordinal)));
        Assert.Contains(listed, l => l.Contains("ES256", StringComparison.Ordinal));
        Assert.Contains(listed, l => l.Contains("PS256,RS256", StringComparison.Ordinal));

        var tooSoon = await HubctlAsync("oidc", "rotate-keys");
        Assert.Equal(1, tooSoon.ExitCode);
        Assert.StartsWith("hubctl: The next key has been published for", tooSoon.Error, StringComparison.Ordinal);
        Assert.Contains("--force", tooSoon.Error, StringComparison.Ordinal);

        var nextKids = listed.Where(l => l.Contains(" next ", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();
        var forced = await HubctlAsync("oidc", "rotate-keys", "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.True(nextKids.All(kid => forced.Output.Contains("current: ", StringComparison.Ordinal) && Lines(forced.Output)[0].Contains(kid, StringComparison.Ordinal)), forced.Output);
        Assert.Contains("published until", forced.Output, StringComparison.Ordinal);

        var after = Lines((await HubctlAsync("oidc", "keys")).Output);
        Assert.Equal(6, after.Length);
        Assert.Equal(2, after.Count(l => l.Contains(" retired ", StringComparison.Ordinal) && l.Contains("published until", StringComparison.Ordinal)));
        Assert.True(nextKids.All(kid => after.Single(l => l.StartsWith(kid, StringComparison.Ordinal)).Contains(" current ", StringComparison.Ordinal)));
        Assert.Equal(2, after.Count(l => l.Contains(" next ", StringComparison.Ordinal)));
        var hsmKeys = (await HubctlAsync("hsm", "keys")).Output;
        Assert.True(nextKids.All(kid => hsmKeys.Contains("oidc signing current " + kid, StringComparison.Ordinal)), hsmKeys);

        Assert.Equal(0, (await HubctlAsync("clients", "add", "--client-id", "health-portal", "--name", "Health", "--redirect-uri", "https://health.agency.test/cb", "--signing-alg", "PS256")).ExitCode);
        Assert.Contains("signing_alg: PS256", (await HubctlAsync("clients", "show", "health-portal")).Output, StringComparison.Ordinal);
        var hs256 = await HubctlAsync("clients", "add", "--client-id", "hs", "--name", "HS", "--redirect-uri", "https://hs.agency.test/cb", "--signing-alg", "HS256");
        Assert.Equal(1, hs256.ExitCode);
        Assert.StartsWith("hubctl: signing_alg: ", hs256.Error, StringComparison.Ordinal);
        Assert.Contains("audit chain intact: 3 event(s)", (await HubctlAsync("audit", "verify")).Output, StringComparison.Ordinal);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private Task<ProcessResult> HubctlAsync(params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(BuiltAssemblies.Hubctl, arguments, _environment);
}
