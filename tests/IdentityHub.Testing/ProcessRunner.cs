using System.Diagnostics;

namespace IdentityHub.Testing;

public sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>Runs a .NET assembly as operators do (`dotnet X.dll args`), or an independent checker (pdftotext, qpdf).</summary>
public static class ProcessRunner
{
    public static Task<ProcessResult> RunDotnetAsync(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment) =>
        RunAsync("dotnet", [assembly, .. arguments], environment);

    /// <summary>Runs a tool from the machine; a missing tool fails with a message saying `./hub test` installs it.</summary>
    public static Task<ProcessResult> RunAsync(string tool, params string[] arguments) =>
        RunAsync(tool, arguments, new Dictionary<string, string?>());

    private static async Task<ProcessResult> RunAsync(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' is not installed: run the tests with ./hub test, which installs it.", ex);
        }

        using var running = process;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish.");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
