using System.Diagnostics;
using System.Text.Json.Nodes;

namespace IdentityHub.Testing.Saml;

/// <summary>
/// Runs one command of a harness in tests/interop: one JSON object on standard input, one JSON line on standard output,
/// exit code 0 or 1 (tests/interop/README.md).
/// </summary>
internal static class InteropProcess
{
    public static async Task<SamlSpAnswer> RunAsync(string peer, string program, IReadOnlyList<string> arguments, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = BuiltAssemblies.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{program}' is not installed: run the tests with ./hub test, which installs it.", ex);
        }

        using var running = process;
        var output = process.StandardOutput.ReadToEndAsync();
        var diagnostics = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{peer} {string.Join(' ', arguments)} did not finish.");
        }

        var text = (await output).Trim();
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        return body is JsonObject answer
            ? new SamlSpAnswer(peer, process.ExitCode, answer)
            : throw new InvalidOperationException($"{peer} {string.Join(' ', arguments)} printed no JSON object: {text} {await diagnostics}");
    }
}
