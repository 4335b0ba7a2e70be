using System.Globalization;

namespace IdentityHub.Benchmarks.Oidc;

/// <summary>
/// After the figures, not part of them: the hub's token requests again with <see cref="RequestProfile"/> listening (its
/// own request activity and Npgsql's command activities), first from one connection (the time a request takes
/// unqueued) and then from all: server time per request and the SQL it ran.
/// </summary>
internal static class OidcProfile
{
    public static async Task RunAsync(TokenLoad hub, HubCodes codes, TimeSpan duration, int exchanges, string redirectUri, int workers)
    {
        Console.WriteLine($"where a hub token request's time goes (after the figures, not part of them): server time and SQL per request, from 1 connection and from {workers}");
        foreach (var concurrency in new[] { 1, workers })
        {
            using var single = new TokenLoad(hub.TokenEndpoint, hub.ClientId, hub.ClientSecret, concurrency);
            using (var profile = new RequestProfile())
            {
                var result = await single.ClientCredentialsAsync(concurrency == 1 ? duration / 2 : duration);
                Print($"client credentials, {concurrency} connection(s)", result, profile);
            }

            var made = await codes.MakeAsync(concurrency == 1 ? Math.Min(exchanges, 500) : exchanges, workers);
            using (var profile = new RequestProfile())
            {
                var result = await single.ExchangeAsync(made, redirectUri);
                Print($"code exchange, {concurrency} connection(s)", result, profile);
            }
        }
    }

    private static void Print(string name, LoadResult result, RequestProfile profile)
    {
        var requests = profile.Requests.Values.Sum(r => r.Count);
        var server = profile.ServerMs / Math.Max(1, requests);
        var commands = profile.Requests.Values.Sum(r => r.Commands) / (double)Math.Max(1, requests);
        var sql = profile.CommandMs / Math.Max(1, requests);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-36} {result.Rate,7:0}/s   client p50 {result.P50,6:0.00} ms p99 {result.P99,6:0.00} ms   server {server,6:0.00} ms, of it SQL {sql,5:0.00} ms in {commands:0.0} commands"));
        foreach (var (text, totals) in profile.Statements.OrderByDescending(s => s.Value.Count).Take(6))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {totals.Count / (double)Math.Max(1, requests),4:0.0} x {totals.Ms / totals.Count,5:0.00} ms  {text}"));
        }
    }
}
