using System.Text.RegularExpressions;

namespace IdentityHub.IntegrationTests.Cli;

/// <summary>`hubctl staff ...` as an operator runs it, against a fresh database.</summary>
public sealed partial class StaffCommandTests : IAsyncLifetime
{
    private readonly string _database = "it_staff_" + Guid.NewGuid().ToString("N")[..8];
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
    public async Task Bootstrap_add_list_and_disable_staff_accounts()
    {
        var bootstrap = await HubctlAsync("staff", "bootstrap-admin", "--user", "root-admin", "--display-name", "First Admin");
        Assert.Equal(0, bootstrap.ExitCode);
        var password = bootstrap.Output.Trim();
        Assert.Matches(OneTimePassword(), password); // stdout holds the password and nothing else
        Assert.DoesNotContain(password, bootstrap.Error, StringComparison.Ordinal);

        var again = await HubctlAsync("staff", "bootstrap-admin", "--user", "second-admin");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("an admin account already exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await HubctlAsync("staff", "bootstrap-admin", "--user", "second-admin", "--force")).ExitCode);

        Assert.Equal(0, (await HubctlAsync("service-points", "add", "CLI-01", "--name", "Cli counter")).ExitCode);
        var officer = await HubctlAsync("staff", "add", "--user", "olga", "--role", "officer", "--display-name", "Olga Officer", "--service-point", "CLI-01");
        Assert.Equal(0, officer.ExitCode);
        var nowhere = await HubctlAsync("staff", "assign", "--user", "olga", "--service-point", "NOPE-01");
        Assert.Equal(1, nowhere.ExitCode);
        Assert.Contains("service point 'NOPE-01' does not exist", nowhere.Error, StringComparison.Ordinal);
        Assert.NotEqual(password, officer.Output.Trim());
        Assert.NotEqual(0, (await HubctlAsync("staff", "add", "--user", "x", "--role", "janitor")).ExitCode);
        Assert.Equal(1, (await HubctlAsync("staff", "add", "--user", "olga", "--role", "auditor")).ExitCode);

        Assert.Equal(0, (await HubctlAsync("staff", "disable", "olga")).ExitCode);
        Assert.Equal(1, (await HubctlAsync("staff", "disable", "nobody")).ExitCode);

        var list = await HubctlAsync("staff", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"olga\s+officer\s+CLI-01\s+disabled", list.Output);
        Assert.Matches(@"root-admin\s+admin\s+-\s+one-time password set\s+.*First Admin", list.Output);
        Assert.DoesNotContain(password, list.Output, StringComparison.Ordinal);

        var audit = await HubctlAsync("audit", "verify");
        Assert.Contains("audit chain intact: 6 event(s)", audit.Output, StringComparison.Ordinal); // 3 created, 1 service point, 1 assigned, 1 disabled
    }

    [Fact]
    public async Task Bootstrap_admin_names_the_command_to_run_when_every_admin_is_disabled()
    {
        Assert.Equal(0, (await HubctlAsync("staff", "bootstrap-admin", "--user", "ada")).ExitCode);
        Assert.Equal(0, (await HubctlAsync("staff", "bootstrap-admin", "--user", "grace", "--force")).ExitCode);
        Assert.Equal(0, (await HubctlAsync("staff", "disable", "ada")).ExitCode);

        var oneLeft = await HubctlAsync("staff", "bootstrap-admin", "--user", "alan");
        Assert.Equal(1, oneLeft.ExitCode);
        Assert.Contains("an admin account already exists", oneLeft.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await HubctlAsync("staff", "disable", "grace")).ExitCode);
        var noneLeft = await HubctlAsync("staff", "bootstrap-admin", "--user", "alan");
        Assert.Equal(1, noneLeft.ExitCode);
        Assert.Equal(string.Empty, noneLeft.Output);
        Assert.Contains("every admin account is disabled (ada, grace)", noneLeft.Error, StringComparison.Ordinal);
        Assert.Contains("hubctl staff bootstrap-admin --user <name> --force", noneLeft.Error, StringComparison.Ordinal);

        var forced = await HubctlAsync("staff", "bootstrap-admin", "--user", "alan", "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Matches(OneTimePassword(), forced.Output.Trim());
    }

    [Fact]
    public async Task Roles_set_gives_an_account_exactly_the_roles_named_and_is_audited()
    {
        Assert.Equal(0, (await HubctlAsync("staff", "add", "--user", "rolf", "--role", "officer")).ExitCode);

        var set = await HubctlAsync("staff", "roles", "set", "rolf", "supervisor", "Auditor");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal("rolf has roles auditor supervisor", set.Output.Trim());
        Assert.Matches(@"rolf\s+auditor,supervisor\s", (await HubctlAsync("staff", "list")).Output);
        var unknown = await HubctlAsync("staff", "roles", "set", "rolf", "janitor");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown role 'janitor'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await HubctlAsync("staff", "roles", "set", "nobody", "officer")).ExitCode);
        Assert.NotEqual(0, (await HubctlAsync("staff", "roles", "set", "rolf")).ExitCode);
        Assert.Matches(@"rolf\s+auditor,supervisor\s", (await HubctlAsync("staff", "list")).Output);
        var audit = await HubctlAsync("audit", "verify");
        Assert.Contains("audit chain intact: 2 event(s)", audit.Output, StringComparison.Ordinal); // created, roles changed
    }

    [GeneratedRegex("^[a-z2-9]{5}(-[a-z2-9]{5}){3}$")]
    private static partial Regex OneTimePassword();

    private Task<ProcessResult> HubctlAsync(params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(BuiltAssemblies.Hubctl, arguments, _environment);
}
