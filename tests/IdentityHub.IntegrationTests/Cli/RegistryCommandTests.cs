using System.Text.RegularExpressions;
using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Cli;

/// <summary>hubctl demo, persons, eid, service-points and api-credentials, run as processes against a fresh database.</summary>
public sealed partial class RegistryCommandTests : IAsyncLifetime
{
    private readonly string _database = "it_reg_" + Guid.NewGuid().ToString("N")[..8];
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("hubctl-registry-");
    private Dictionary<string, string?> _environment = [];

    public async Task InitializeAsync()
    {
        var connection = await TestDatabases.CreateAsync(_database);
        _environment = new()
        {
            ["ConnectionStrings__Hub"] = connection,
            ["ConnectionStrings__HubOwner"] = TestDatabases.OwnerConnection(_database),
            ["Pki__PublicBaseUrl"] = "http://hub.test.invalid",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        Assert.Equal(0, (await HubctlAsync("db", "migrate")).ExitCode);
        Assert.Equal(0, (await HubctlAsync("pki", "init")).ExitCode);
    }

    public async Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await TestDatabases.DropAsync(_database);
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task The_demo_citizen_is_seeded_once_found_again_and_shown_with_its_certificates()
    {
        var seed = await HubctlAsync("demo", "seed");
        Assert.Equal(0, seed.ExitCode);
        var nationalId = NationalIdLine().Match(seed.Output).Groups[1].Value;
        var documentNumber = DocumentLine().Match(seed.Output).Groups[1].Value;
        Assert.Matches(@"activation code:\s+[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", seed.Output);
        Assert.Contains("exists", (await HubctlAsync("demo", "seed")).Output, StringComparison.Ordinal);

        var found = await HubctlAsync("persons", "find", "--demo");
        Assert.Equal(0, found.ExitCode);
        Assert.Matches($@"{nationalId}\s+1990-05-17 Männik-Ševtšenko, Mari-Liis", found.Output);
        Assert.Contains(nationalId, (await HubctlAsync("persons", "find", "--surname", "MANNIK-SEVTSENKO", "--born", "1990-05-17")).Output, StringComparison.Ordinal);
        Assert.Contains(nationalId, (await HubctlAsync("persons", "find", "--document", documentNumber)).Output, StringComparison.Ordinal);

        var show = await HubctlAsync("eid", "show", nationalId);
        Assert.Equal(0, show.ExitCode);
        Assert.Matches($@"eID\s+{documentNumber}\s+active\s+issued \d{{4}}-\d\d-\d\d\s+valid until \d{{4}}-\d\d-\d\d\s+not activated", show.Output);
        Assert.Matches(@"auth\s+P-256\s+citizen-auth/[0-9a-f]+", show.Output);
        Assert.Matches(@"sign\s+P-256\s+citizen-sign/[0-9a-f]+", show.Output);

        var pem = await HubctlAsync("eid", "show", nationalId, "--cert", "sign");
        Assert.Equal(0, pem.ExitCode);
        var path = Path.Combine(_work.FullName, "sign.pem");
        await File.WriteAllTextAsync(path, pem.Output);
        var text = await Openssl.RunAsync(_work.FullName, "x509", "-in", path, "-noout", "-subject", "-nameopt", "multiline,utf8,-esc_msb");
        Assert.Contains($"PNOXA-{nationalId}", text.Output, StringComparison.Ordinal);
        Assert.Contains("Männik-Ševtšenko", text.Output, StringComparison.Ordinal);

        var letter = Path.Combine(_work.FullName, "letter.pdf");
        var printed = await HubctlAsync("eid", "letter", documentNumber, "--out", letter);
        Assert.Equal(0, printed.ExitCode);
        Assert.StartsWith("%PDF-", await File.ReadAllTextAsync(letter), StringComparison.Ordinal);

        var check = await HubctlAsync("eid", "check");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("registry consistent: 1 eID(s), 2 citizen certificate(s)", check.Output, StringComparison.Ordinal);
        var intact = await HubctlAsync("audit", "verify");
        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("audit chain intact", intact.Output, StringComparison.Ordinal);

        // Someone with the owner's rights edits one event by hand (bypassing the append-only trigger): named exactly.
        await using (var connection = new Npgsql.NpgsqlConnection(_environment["ConnectionStrings__HubOwner"]))
        {
            await connection.OpenAsync();
            await using var alter = new Npgsql.NpgsqlCommand("""
                ALTER TABLE audit.events DISABLE TRIGGER USER;
                UPDATE audit.events SET "Actor" = 'nobody' WHERE "Type" = 'eid.issued';
                ALTER TABLE audit.events ENABLE TRIGGER USER;
                SELECT "Sequence" FROM audit.events WHERE "Type" = 'eid.issued';
                """, connection);
            var sequence = (long)(await alter.ExecuteScalarAsync())!;

            var broken = await HubctlAsync("audit", "verify");
            Assert.Equal(1, broken.ExitCode);
            Assert.Contains($"event #{sequence} was altered", broken.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Mistakes_get_one_clear_line()
    {
        var badId = await HubctlAsync("eid", "show", "12345678900");
        var noSearch = await HubctlAsync("persons", "find");
        var unknownPoint = await HubctlAsync("api-credentials", "issue", "--service-point", "NOWHERE", "--name", "x");

        Assert.Equal(1, badId.ExitCode);
        Assert.Contains("hubctl: This national identifier is not valid", badId.Error, StringComparison.Ordinal);
        Assert.Equal(2, noSearch.ExitCode);
        Assert.Equal(1, unknownPoint.ExitCode);
        Assert.Contains("Service point 'NOWHERE' does not exist", unknownPoint.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_credentials_are_issued_once_listed_without_secrets_and_revoked()
    {
        Assert.Equal(0, (await HubctlAsync("service-points", "add", "TLN-01", "--name", "Tallinn")).ExitCode);
        var issued = await HubctlAsync("api-credentials", "issue", "--service-point", "TLN-01", "--name", "counter-1", "--days", "30");
        Assert.Equal(0, issued.ExitCode);
        var token = TokenLine().Match(issued.Output).Value;
        var parts = token.Split('_', 3); // prefix, id, secret: the secret is base64url and may itself hold '_'
        var id = parts[1];

        var list = await HubctlAsync("api-credentials", "list");
        Assert.Contains($"{id} TLN-01", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(parts[2], list.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await HubctlAsync("api-credentials", "revoke", id)).ExitCode);
        Assert.Matches($@"{id} TLN-01\s+counter-1\s+revoked", (await HubctlAsync("api-credentials", "list")).Output);
    }

    [GeneratedRegex(@"national id:\s+(\d{11})")]
    private static partial Regex NationalIdLine();

    [GeneratedRegex(@"eID document:\s+(ID\d{12})")]
    private static partial Regex DocumentLine();

    [GeneratedRegex(@"ihub_[0-9a-f]{32}_[A-Za-z0-9_-]{43}")]
    private static partial Regex TokenLine();

    private Task<ProcessResult> HubctlAsync(params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(BuiltAssemblies.Hubctl, arguments, _environment);
}
