namespace IdentityHub.Benchmarks;

/// <summary>`./hub bench NAME [--rounds N] [--seconds S] [--clients C]`: figures, never pass/fail.</summary>
internal static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = BenchmarkSettings.Parse(args.Skip(1).ToArray());
        switch (args.FirstOrDefault())
        {
            case "pki":
                await PkiBenchmark.RunAsync(settings);
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: ./hub bench pki [--rounds N] [--seconds S] [--clients C]");
                return 2;
        }
    }
}

internal sealed record BenchmarkSettings(int Rounds, TimeSpan RoundLength, int Clients)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
        }

        return new BenchmarkSettings(Value("--rounds", 5), TimeSpan.FromSeconds(Value("--seconds", 3)), Value("--clients", 16));
    }
}
