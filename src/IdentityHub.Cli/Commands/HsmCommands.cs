using System.CommandLine;
using IdentityHub.Data;
using IdentityHub.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

internal static class HsmCommands
{
    public static Command Create() => new("hsm", "The HSM token.") { Keys(), CreateWrappingKey() };

    /// <summary>
    /// The Security Officer's one-time step: the trusted key that wraps citizen keys. Reads the SO PIN from Hsm:SoPin
    /// (environment Hsm__SoPin), which only this command needs; the hub itself never gets it.
    /// </summary>
    private static Command CreateWrappingKey()
    {
        var command = new Command("create-wrapping-key", "As Security Officer (Hsm:SoPin), create the token's trusted key that wraps citizen keys, unless it exists.");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync((services, _) =>
        {
            var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HsmOptions>>().Value;
            var soPin = services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Hsm:SoPin"];
            if (string.IsNullOrEmpty(soPin))
            {
                throw new HsmConfigurationException("Hsm:SoPin is not set: supply the token's Security Officer PIN (environment variable Hsm__SoPin) for this command only.");
            }

            var created = TrustedWrappingKey.Ensure(options, soPin);
            Console.WriteLine(created
                ? $"created the trusted wrapping key '{TrustedWrappingKey.DefaultLabel}' in token {options.TokenLabel}"
                : $"token {options.TokenLabel} already has the trusted wrapping key '{TrustedWrappingKey.DefaultLabel}'");
            return Task.FromResult(0);
        }, ct));
        return command;
    }

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
                .Concat(await db.SigningKeys.AsNoTracking().Select(k => new { KeyId = k.HsmKeyId, Use = "oidc signing " + k.State + " " + k.Kid }).ToListAsync(token))
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
