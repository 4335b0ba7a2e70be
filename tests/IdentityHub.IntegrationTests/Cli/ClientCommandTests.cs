namespace IdentityHub.IntegrationTests.Cli;

/// <summary>`hubctl clients ...` as an operator registers an agency, against a fresh database.</summary>
public sealed class ClientCommandTests : IAsyncLifetime
{
    private readonly string _database = "it_clients_" + Guid.NewGuid().ToString("N")[..8];
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
    }

    [Fact]
    public async Task A_back_channel_logout_uri_is_registered_and_shown_and_a_bad_one_names_its_field()
    {
        var added = await HubctlAsync("clients", "add", "--client-id", "health-portal", "--name", "Health Agency",
            "--redirect-uri", "https://health.agency.test/signin-oidc", "--backchannel-logout-uri", "https://health.agency.test/backchannel-logout");
        Assert.Equal(0, added.ExitCode);
        Assert.Contains("backchannel_logout_uri: https://health.agency.test/backchannel-logout", (await HubctlAsync("clients", "show", "health-portal")).Output, StringComparison.Ordinal);

        var bad = await HubctlAsync("clients", "add", "--client-id", "health-app", "--name", "Health Agency",
            "--redirect-uri", "https://health.agency.test/app", "--backchannel-logout-uri", "http://health.agency.test/backchannel-logout");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("hubctl: backchannel_logout_uri: http://health.agency.test/backchannel-logout: ", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_are_registered_listed_and_shown_a_secret_is_printed_once_and_a_bad_setting_names_its_field()
    {
        var added = await HubctlAsync("clients", "add", "--client-id", "tax-portal", "--name", "Tax Agency",
            "--redirect-uri", "https://tax.agency.test/signin-oidc", "--post-logout-redirect-uri", "https://tax.agency.test/", "--scope", "profile");
        Assert.Equal(0, added.ExitCode);
        var backEnd = await HubctlAsync("clients", "add", "--client-id", "tax-batch", "--name", "Tax batch", "--client-credentials");
        Assert.Equal(0, backEnd.ExitCode);
        var secret = backEnd.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);

        var list = await HubctlAsync("clients", "list");
        Assert.Matches(@"tax-portal\s+public\s+sector tax\.agency\.test\s+Tax Agency", list.Output);
        Assert.Matches(@"tax-batch\s+confidential", list.Output);
        Assert.DoesNotContain(secret, list.Output, StringComparison.Ordinal);
        var show = await HubctlAsync("clients", "show", "tax-portal");
        Assert.Contains("redirect_uri: https://tax.agency.test/signin-oidc", show.Output, StringComparison.Ordinal);
        Assert.Contains("scopes: openid profile", show.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, (await HubctlAsync("clients", "show", "tax-batch")).Output, StringComparison.Ordinal);

        var jwksPath = Path.Combine(Path.GetTempPath(), "jwks-" + Guid.NewGuid().ToString("N") + ".json");
        using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            var q = key.ExportParameters(false).Q;
            await File.WriteAllTextAsync(jwksPath, $$"""{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"{{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(q.X)}}","y":"{{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(q.Y)}}"}]}""");
        }

        var withKeys = await HubctlAsync("clients", "add", "--client-id", "land-batch", "--name", "Land batch", "--client-credentials", "--jwks-file", jwksPath);
        Assert.Equal(0, withKeys.ExitCode);
        Assert.DoesNotContain("client secret", withKeys.Output, StringComparison.Ordinal);
        await File.WriteAllTextAsync(jwksPath, """{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""");
        var symmetric = await HubctlAsync("clients", "add", "--client-id", "bad-keys", "--name", "Bad keys", "--client-credentials", "--jwks-file", jwksPath);
        File.Delete(jwksPath);
        Assert.Equal(1, symmetric.ExitCode);
        Assert.StartsWith("hubctl: jwks: ", symmetric.Error, StringComparison.Ordinal);

        var plainHttp = await HubctlAsync("clients", "add", "--client-id", "bad", "--name", "Bad", "--redirect-uri", "http://bad.agency.test/cb");
        Assert.Equal(1, plainHttp.ExitCode);
        Assert.StartsWith("hubctl: redirect_uris: http://bad.agency.test/cb: use https", plainHttp.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await HubctlAsync("clients", "add", "--client-id", "tax-portal", "--name", "Again", "--redirect-uri", "https://x.test/cb")).ExitCode);
        Assert.Equal(1, (await HubctlAsync("clients", "show", "nobody")).ExitCode);
        Assert.Contains("audit chain intact: 3 event(s)", (await HubctlAsync("audit", "verify")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_updates_disables_enables_and_rotates_the_secret_of_a_client_and_each_is_audited()
    {
        Assert.Equal(0, (await HubctlAsync("clients", "add", "--client-id", "health-api", "--name", "Health", "--client-credentials",
            "--contact", "it@health.agency.test")).ExitCode);
        var first = (await HubctlAsync("clients", "show", "health-api")).Output;
        Assert.Contains("authentication: client_secret_basic", first, StringComparison.Ordinal);
        Assert.Contains("contact: it@health.agency.test", first, StringComparison.Ordinal);
        Assert.Contains("status: enabled", first, StringComparison.Ordinal);

        var updated = await HubctlAsync("clients", "update", "health-api", "--name", "Health Agency", "--require-dpop", "true");
        Assert.Equal(0, updated.ExitCode);
        var shown = (await HubctlAsync("clients", "show", "health-api")).Output;
        Assert.Contains("name: Health Agency", shown, StringComparison.Ordinal);
        Assert.Contains("DPoP-bound tokens: required", shown, StringComparison.Ordinal);
        var bad = await HubctlAsync("clients", "update", "health-api", "--profile", "fapi2");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("hubctl: profile: ", bad.Error, StringComparison.Ordinal);

        var rotated = await HubctlAsync("clients", "rotate-secret", "health-api");
        Assert.Equal(0, rotated.ExitCode);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", rotated.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);

        Assert.Equal(0, (await HubctlAsync("clients", "disable", "health-api")).ExitCode);
        Assert.Contains("status: disabled since", (await HubctlAsync("clients", "show", "health-api")).Output, StringComparison.Ordinal);
        Assert.Equal(0, (await HubctlAsync("clients", "enable", "health-api")).ExitCode);
        Assert.Equal(1, (await HubctlAsync("clients", "disable", "nobody")).ExitCode);
        // added, updated, secret rotated, disabled, enabled; a refused update leaves nothing.
        Assert.Contains("audit chain intact: 5 event(s)", (await HubctlAsync("audit", "verify")).Output, StringComparison.Ordinal);
    }

    private Task<ProcessResult> HubctlAsync(params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(BuiltAssemblies.Hubctl, arguments, _environment);
}
