using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Hosting;

/// <summary>
/// The hub started as operators start it (`dotnet IdentityHub.Server.dll`) with one setting wrong: it must stop at once
/// with exit code 1 and one line on stderr that names the setting, and never print a secret.
/// </summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_wrong_pin_names_Hsm_Pin()
    {
        var result = await RunServerAsync(new()
        {
            ["Hsm__TokenLabel"] = Environment.GetEnvironmentVariable("HUB_TEST_AUX_TOKEN_LABEL"),
            ["Hsm__Pin"] = "not-the-pin-0000",
        });

        AssertOneClearLine(result, "Hsm:Pin");
        Assert.DoesNotContain("not-the-pin-0000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_token_names_Hsm_TokenLabel()
    {
        var result = await RunServerAsync(new() { ["Hsm__TokenLabel"] = "no-such-token" });

        AssertOneClearLine(result, "Hsm:TokenLabel 'no-such-token'");
    }

    [Fact]
    public async Task A_missing_pkcs11_module_names_Hsm_LibraryPath()
    {
        var result = await RunServerAsync(new() { ["Hsm__LibraryPath"] = "/opt/vendor/libnothere.so" });

        AssertOneClearLine(result, "Hsm:LibraryPath");
    }

    [Fact]
    public async Task An_unreachable_database_names_ConnectionStrings_Hub()
    {
        var result = await RunServerAsync(new()
        {
            ["ConnectionStrings__Hub"] = "Host=127.0.0.1;Port=1;Username=hub;Password=x;Database=identityhub;Timeout=3",
        });

        AssertOneClearLine(result, "ConnectionStrings:Hub");
        Assert.Contains("127.0.0.1:1/identityhub", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_connection_string_names_ConnectionStrings_Hub()
    {
        var result = await RunServerAsync(new() { ["ConnectionStrings__Hub"] = string.Empty });

        AssertOneClearLine(result, "ConnectionStrings:Hub is not set");
    }

    [Fact]
    public async Task A_wrong_database_password_names_ConnectionStrings_Hub_without_the_password()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(TestDatabases.AdminConnection) { Password = "wrong-password-1234" };
        var result = await RunServerAsync(new() { ["ConnectionStrings__Hub"] = connection.ConnectionString });

        AssertOneClearLine(result, "refused the password: check ConnectionStrings:Hub");
        Assert.DoesNotContain("wrong-password-1234", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_without_a_PKI_says_to_run_pki_init()
    {
        var name = "it_empty_" + Guid.NewGuid().ToString("N")[..8];
        var connection = await TestDatabases.CreateAsync(name);
        try
        {
            // Given the owner's connection string, the server migrates at start-up as the owner and gets as far as the PKI.
            var result = await RunServerAsync(new()
            {
                ["ConnectionStrings__Hub"] = connection,
                ["ConnectionStrings__HubOwner"] = TestDatabases.OwnerConnection(name),
            });

            AssertOneClearLine(result, "hubctl pki init");
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropAsync(name);
        }
    }

    [Fact]
    public async Task An_unmigrated_database_served_by_the_app_role_says_to_run_db_migrate_as_the_owner()
    {
        var name = "it_unmigrated_" + Guid.NewGuid().ToString("N")[..8];
        var connection = await TestDatabases.CreateAsync(name);
        try
        {
            var result = await RunServerAsync(new() { ["ConnectionStrings__Hub"] = connection });

            AssertOneClearLine(result, "may not apply them: run `hubctl db migrate` with ConnectionStrings:HubOwner set");
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestDatabases.DropAsync(name);
        }
    }

    private static void AssertOneClearLine(ProcessResult result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("identityhub: cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.GetEnvironmentVariable("Hsm__Pin")!, result.Output + result.Error, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> RunServerAsync(Dictionary<string, string?> overrides)
    {
        var environment = new Dictionary<string, string?>(overrides)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "None",
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        return ProcessRunner.RunDotnetAsync(BuiltAssemblies.Server, [], environment);
    }
}
