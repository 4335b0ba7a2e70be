using System.CommandLine;
using IdentityHub.Data;
using IdentityHub.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

internal static class HsmCommands
{
    public static Command Create() => new("hsm", "The HSM token.") { Keys() };

    /// <summary>Every key pair in the token and what uses it; keys nothing uses are left by interrupted runs or smoke tests.</summary>
    private static Command Keys()
    {
        var command = new Command("keys", "List the key pairs in the token and which CA or service credential uses each.");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var hsm = services.GetRequiredService<HsmKeyStore>();
            var db = services.GetRequiredService<HubDbContext>();
            var users = (await db.CertificateAuthorities.AsNoTracking().Select(c => new { c.KeyId, Use = "CA " + c.Name }).ToListAsync(token))
                .Concat(await db.ServiceCredentials.AsNoTracking().Select(c => new { c.KeyId, Use = c.Purpose }).ToListAsync(token))
                .ToDictionary(u => u.KeyId, u => u.Use, StringComparer.Ordinal);

            Console.WriteLine($"token {hsm.TokenLabel} (serial {hsm.TokenSerialNumber}, {hsm.ManufacturerId})");
            Console.WriteLine($"{"key id",-32}  {"algorithm",-9}  {"label",-24}  used by");
            foreach (var key in hsm.ListKeys().OrderBy(k => k.Label, StringComparer.Ordinal))
            {
                var use = users.TryGetValue(key.KeyId, out var u) ? u : "-";
                Console.WriteLine($"{key.KeyId,-32}  {Core.Keys.KeyAlgorithms.ToConfigName(key.Algorithm),-9}  {key.Label,-24}  {use}");
            }

            return 0;
        }, ct));
        return command;
    }
}
