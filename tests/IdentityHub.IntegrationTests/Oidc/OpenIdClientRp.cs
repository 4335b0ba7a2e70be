using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// npm's openid-client as a relying party (tests/interop/oidc-rp.mjs, installed by `./hub test` with npm ci): each
/// call runs one command with one JSON object in and one out, exactly as tests/interop/README.md describes.
/// </summary>
internal static class OpenIdClientRp
{
    public sealed record Answer(int ExitCode, JsonObject Body)
    {
        public string? Error => Body["error"]?.GetValue<string>();

        public JsonObject Ok()
        {
            Assert.True(ExitCode == 0, $"openid-client refused: {Body.ToJsonString()}");
            return Body;
        }
    }

    public static async Task<Answer> RunAsync(string command, JsonObject input)
    {
        var root = BuiltAssemblies.RepositoryRoot;
        var script = Path.Combine(root, "tests", "interop", "oidc-rp.mjs");
        Assert.True(Directory.Exists(Path.Combine(root, "tests", "interop", "node_modules", "openid-client")),
            "openid-client is not installed: run `npm ci --prefix tests/interop` (./hub test does)");
        var start = new ProcessStartInfo("node", [script, command])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var diagnostics = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var text = (await output).Trim();
        return JsonNode.Parse(text) is JsonObject body
            ? new Answer(process.ExitCode, body)
            : throw new InvalidOperationException($"oidc-rp.mjs {command} printed no JSON object: {text} {await diagnostics}");
    }

    public static JsonObject Client(HubFixture hub, string clientId, string? secret = null)
    {
        var config = new JsonObject { ["issuer"] = hub.BaseAddress.ToString(), ["clientId"] = clientId };
        if (secret is not null)
        {
            config["clientSecret"] = secret;
        }

        return config;
    }

    public static JsonObject With(this JsonObject config, params (string Key, JsonNode? Value)[] fields)
    {
        var copy = (JsonObject)config.DeepClone();
        foreach (var (key, value) in fields)
        {
            copy[key] = value?.DeepClone();
        }

        return copy;
    }
}
