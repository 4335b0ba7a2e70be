namespace IdentityHub.Benchmarks;

internal static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        await Console.Error.WriteLineAsync("usage: ./hub bench pki");
        return args.Length == 0 ? 2 : 2;
    }
}
