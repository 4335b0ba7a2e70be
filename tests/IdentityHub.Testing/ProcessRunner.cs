using System.Diagnostics;

namespace IdentityHub.Testing;

public sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>Runs a .NET assembly as operators do (`dotnet X.dll args`), with environment overrides.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunDotnetAsync(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
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
            throw new TimeoutException($"{Path.GetFileName(assembly)} {string.Join(' ', arguments)} did not finish.");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
