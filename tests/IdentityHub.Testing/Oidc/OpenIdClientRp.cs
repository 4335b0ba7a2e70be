using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdentityHub.Testing.Oidc;

/// <summary>
/// npm's openid-client as a relying party (tests/interop/oidc-rp.mjs, installed by `./hub test` with npm ci): each
/// call runs one command with one JSON object in and one out, exactly as tests/interop/README.md describes.
/// </summary>
public static class OpenIdClientRp
{
    public sealed record Answer(int ExitCode, JsonObject Body)
    {
        public string? Error => Body["error"]?.GetValue<string>();

        public JsonObject Ok() =>
            ExitCode == 0 ? Body : throw new InvalidOperationException($"openid-client refused: {Body.ToJsonString()}");
    }

    public static async Task<Answer> RunAsync(string command, JsonObject input)
    {
        var root = BuiltAssemblies.RepositoryRoot;
        var script = Path.Combine(root, "tests", "interop", "oidc-rp.mjs");
        if (!Directory.Exists(Path.Combine(root, "tests", "interop", "node_modules", "openid-client")))
        {
            throw new InvalidOperationException("openid-client is not installed: run `npm ci --prefix tests/interop` (./hub test does)");
        }

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

    public static JsonObject Client(HubFixture hub, string clientId, string? secret = null) => Client(hub.BaseAddress, clientId, secret);

    /// <summary>The client configuration every command takes, for the hub whose issuer is <paramref name="issuer"/>.</summary>
    public static JsonObject Client(Uri issuer, string clientId, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var config = new JsonObject { ["issuer"] = issuer.ToString(), ["clientId"] = clientId };
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
