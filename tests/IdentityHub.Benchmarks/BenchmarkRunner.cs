namespace IdentityHub.Benchmarks;

/// <summary>`./hub bench NAME [--rounds N] [--seconds S] [--clients C] [--key K]`: figures, never pass/fail.</summary>
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
            case "hsm":
                await HsmBenchmark.RunAsync(settings);
                return 0;
            case "enrolment":
                await EnrolmentBenchmark.RunAsync(settings);
                return 0;
            case "login":
                await LoginBenchmark.RunAsync(settings);
                return 0;
            case "oidc":
                await Oidc.OidcBenchmark.RunAsync(settings);
                return 0;
            case "signing":
                await SigningBenchmark.RunAsync(settings);
                return 0;
            case "saml":
                await SamlBenchmark.RunAsync(settings);
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: ./hub bench pki|hsm|enrolment|login|oidc|signing|saml [--rounds N] [--seconds S] [--clients C] [--key P-256|P-384|RSA-2048|RSA-3072|RSA-4096] [--persons N] [--keys N] [--eids N] [--accounts N] [--sql N] [--exchanges N] [--small N] [--large N] [--responses N]");
                return 2;
        }
    }
}

internal sealed record BenchmarkSettings(int Rounds, TimeSpan RoundLength, int Clients, string? Key)
{
    private string[] _args = [];

    /// <summary>A further integer option of one benchmark (e.g. --persons), or the fallback.</summary>
    public int Option(string name, int fallback)
    {
        var index = Array.IndexOf(_args, name);
        return index >= 0 && index + 1 < _args.Length ? int.Parse(_args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Whether the command line named this option at all.</summary>
    public bool Has(string name) => Array.IndexOf(_args, name) >= 0;

    public static BenchmarkSettings Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
        }

        var key = Array.IndexOf(args, "--key") is var k and >= 0 && k + 1 < args.Length ? args[k + 1] : null;
        return new BenchmarkSettings(Value("--rounds", 5), TimeSpan.FromSeconds(Value("--seconds", 3)), Value("--clients", 16), key) { _args = args };
    }
}
