using System.Diagnostics;

namespace IdentityHub.IntegrationTests.Infrastructure;

/// <summary>Runs the openssl command line: the independent verifier of what the hub produces.</summary>
public static class Openssl
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static Task<Result> RunAsync(string workingDirectory, params string[] arguments) =>
        RunToolAsync(workingDirectory, "openssl", arguments, TimeSpan.FromSeconds(60));

    /// <summary>Any independent verifier (openssl, qpdf, pdfsig, xmlsec1, certutil) in a working directory, with a timeout.</summary>
    public static async Task<Result> RunToolAsync(string workingDirectory, string tool, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
