using System.CommandLine;
using System.Globalization;
using IdentityHub.Oidc.SigningKeys;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>hubctl oidc …: the OpenID provider's signing keys (docs/operator-guide.md "Rotating the OpenID signing keys", decision 0018).</summary>
internal static class OidcCommands
{
    public static Command Create() => new("oidc", "The OpenID provider's token-signing keys.") { Keys(), RotateKeys() };

    private static Command Keys()
    {
        var command = new Command("keys", "List the signing keys: kid, algorithms, state (next, current, retired, removed) and dates.");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var keys = await services.GetRequiredService<OidcSigningKeys>().ListAsync(token);
            if (keys.Count == 0)
            {
                Console.WriteLine("No signing keys yet: the first node to sign a token creates them, or run `hubctl oidc rotate-keys`.");
                return 0;
            }

            foreach (var k in keys)
            {
                Console.WriteLine(string.Join("  ", new[]
                {
                    k.Kid, $"{k.Algorithms,-11}", $"{k.State,-7}", $"gen {k.Generation}", $"created {Time(k.CreatedAt)}",
                    k.ActivatedAt is { } activated ? $"signing since {Time(activated)}" : null,
                    k.RetiredAt is { } retired ? $"retired {Time(retired)}" : null,
                    k.RemoveAfter is { } remove ? $"published until {Time(remove)}" : null,
                }.Where(part => part is not null)));
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command RotateKeys()
    {
        var force = new Option<bool>("--force")
        {
            Description = "promote the next key even if relying parties may not have fetched it yet (a compromised current key)",
        };
        var command = new Command("rotate-keys", "next → current, current → retired (published until its grace ends), and a new next key generated in the HSM. Audited.") { force };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var rotation = await services.GetRequiredService<OidcSigningKeys>().RotateAsync(OperatorIdentity.Current, parse.GetValue(force), token);
            if (!rotation.Succeeded)
            {
                await Console.Error.WriteLineAsync($"hubctl: {rotation.Problem}");
                return 1;
            }

            if (rotation.Promoted.Count == 0)
            {
                Console.WriteLine($"created the first keys (current and next): {string.Join(' ', rotation.Created)}");
                return 0;
            }

            Console.WriteLine($"current: {string.Join(' ', rotation.Promoted)}");
            Console.WriteLine($"retired: {string.Join(' ', rotation.Retired)} (published until {Time(rotation.RemoveAfter!.Value)})");
            Console.WriteLine($"next:    {string.Join(' ', rotation.Created)}");
            Console.WriteLine("Every node signs with the new current keys within Oidc:SigningKeys:Refresh.");
            return 0;
        }, ct));
        return command;
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
