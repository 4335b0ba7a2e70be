using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Cli;

/// <summary>The operator's commands, run as processes against a fresh database and the test token.</summary>
public sealed class HubctlTests : IAsyncLifetime
{
    private readonly string _database = "it_cli_" + Guid.NewGuid().ToString("N")[..8];
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("hubctl-");
    private Dictionary<string, string?> _environment = [];

    public async Task InitializeAsync()
    {
        var connection = await TestDatabases.CreateAsync(_database);
        _environment = new()
        {
            ["ConnectionStrings__Hub"] = connection,
            ["ConnectionStrings__HubOwner"] = TestDatabases.OwnerConnection(_database),
            ["Pki__PublicBaseUrl"] = "http://hub.test.invalid",
        };
    }

    public async Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await TestDatabases.DropAsync(_database);
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Migrate_init_status_issue_and_revoke_work_end_to_end()
    {
        var migrate = await HubctlAsync("db", "migrate");
        Assert.Equal(0, migrate.ExitCode);
        Assert.Matches(@"Applied \d+ migration\(s\): \d+_InitialPki", migrate.Output);
        Assert.Contains($"Granted role {TestDatabases.AppRole} ", migrate.Output, StringComparison.Ordinal);
        var again = (await HubctlAsync("db", "migrate")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Database is up to date.", again[0]);
        Assert.StartsWith($"Granted role {TestDatabases.AppRole} ", again[1], StringComparison.Ordinal);

        var notYet = await HubctlAsync("pki", "status");
        Assert.Equal(1, notYet.ExitCode);
        Assert.Contains("No CA yet: run `hubctl pki init`.", notYet.Output, StringComparison.Ordinal);

        var init = await HubctlAsync("pki", "init");
        Assert.Equal(0, init.ExitCode);
        Assert.Contains("created   CA root", init.Output, StringComparison.Ordinal);
        Assert.Contains("created   tsa", init.Output, StringComparison.Ordinal);
        Assert.Contains("unchanged 10 item(s)", (await HubctlAsync("pki", "init")).Output, StringComparison.Ordinal);

        var certificate = Path.Combine(_work.FullName, "smoke.pem");
        var issue = await HubctlAsync("pki", "issue-test-cert", "--cn", "Smoke, Test", "--out", certificate);
        Assert.Equal(0, issue.ExitCode);
        var serial = System.Text.RegularExpressions.Regex.Match(issue.Error, "issued serial ([0-9a-f]+) by CA citizen-auth").Groups[1].Value;
        Assert.NotEmpty(serial);
        var x509 = await Openssl.RunAsync(_work.FullName, "x509", "-in", certificate, "-noout", "-subject", "-serial");
        Assert.Contains("subject=CN = \"Smoke, Test\"", x509.Output, StringComparison.Ordinal);
        Assert.Contains($"serial={serial.ToUpperInvariant()}", x509.Output, StringComparison.Ordinal);

        var status = await HubctlAsync("pki", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Matches(@"citizen-auth\s+P-384\s+\S+\s+2\s+0\s+1", status.Output); // its OCSP responder + the test certificate

        // Operators paste serials as openssl prints them: upper case with colons is accepted.
        var pasted = string.Join(':', Enumerable.Range(0, serial.Length / 2).Select(i => serial.Substring(i * 2, 2).ToUpperInvariant()));
        var revoke = await HubctlAsync("pki", "revoke", pasted, "--reason", "keyCompromise");
        Assert.Equal(0, revoke.ExitCode);
        Assert.Contains($"revoked serial {serial} of CA citizen-auth", revoke.Output, StringComparison.Ordinal);
        Assert.Contains("already revoked", (await HubctlAsync("pki", "revoke", serial, "--reason", "superseded")).Output, StringComparison.Ordinal);
        Assert.Matches(@"citizen-auth\s+P-384\s+\S+\s+2\s+1\s+2", (await HubctlAsync("pki", "status")).Output);

        // Every step above is in the audit chain, with the operator as actor.
        var audit = await HubctlAsync("audit", "verify");
        Assert.Equal(0, audit.ExitCode);
        Assert.Matches(@"audit chain intact: 12 event\(s\)", audit.Output); // 4 CAs, 6 credentials, 1 issued, 1 revoked

        // The token's keys, each named by what uses it; the smoke-test key is used by no CA or service.
        var keys = await HubctlAsync("hsm", "keys");
        Assert.Equal(0, keys.ExitCode);
        Assert.Matches(@"P-384\s+ca-root\s+CA root", keys.Output);
        Assert.Matches(@"P-256\s+ocsp-citizen-auth\s+ocsp:citizen-auth", keys.Output);
        Assert.Matches(@"P-256\s+tsa\s+tsa", keys.Output);
        Assert.Matches(@"P-256\s+test-\d{14}\s+-", keys.Output);
    }

    [Fact]
    public async Task Mistakes_get_one_line_and_exit_code_1()
    {
        Assert.Equal(0, (await HubctlAsync("db", "migrate")).ExitCode);

        var unknownSerial = await HubctlAsync("pki", "revoke", "abcdef");
        Assert.Equal(1, unknownSerial.ExitCode);
        Assert.Equal("hubctl: No certificate with serial abcdef was issued by this hub.", unknownSerial.Error.Trim());

        var badSerial = await HubctlAsync("pki", "revoke", "xyz");
        Assert.Equal(1, badSerial.ExitCode);
        Assert.StartsWith("hubctl: A serial number is hexadecimal", badSerial.Error.Trim(), StringComparison.Ordinal);

        var badReason = await HubctlAsync("pki", "revoke", "abcdef", "--reason", "boredom");
        Assert.NotEqual(0, badReason.ExitCode);
        Assert.Contains("boredom", badReason.Error, StringComparison.Ordinal);

        var noSoPin = await HubctlAsync("hsm", "create-wrapping-key");
        Assert.Equal(1, noSoPin.ExitCode);
        Assert.StartsWith("hubctl: Hsm:SoPin is not set", noSoPin.Error.Trim(), StringComparison.Ordinal);

        var wrongSoPin = await HubctlAsync(new Dictionary<string, string?> { ["Hsm__SoPin"] = "not-the-so-pin" }, "hsm", "create-wrapping-key");
        Assert.Equal(1, wrongSoPin.ExitCode);
        Assert.StartsWith("hubctl: Hsm:SoPin is not the Security Officer PIN", wrongSoPin.Error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-so-pin", wrongSoPin.Error, StringComparison.Ordinal);

        var wrongToken = await HubctlAsync(new Dictionary<string, string?> { ["Hsm__TokenLabel"] = "absent" }, "pki", "init");
        Assert.Equal(1, wrongToken.ExitCode);
        Assert.StartsWith("hubctl: Hsm:TokenLabel 'absent' matches no token", wrongToken.Error.Trim(), StringComparison.Ordinal);
    }

    private Task<ProcessResult> HubctlAsync(params string[] arguments) => HubctlAsync(new Dictionary<string, string?>(), arguments);

    private Task<ProcessResult> HubctlAsync(Dictionary<string, string?> overrides, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>(_environment);
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        return ProcessRunner.RunDotnetAsync(BuiltAssemblies.Hubctl, arguments, environment);
    }
}
