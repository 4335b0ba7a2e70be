using System.CommandLine;
using IdentityHub.Data.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

internal static class AuditCommands
{
    public static Command Create() => new("audit", "The hash-chained audit log.") { Verify() };

    private static Command Verify()
    {
        var command = new Command("verify", "Walk the audit chain from the first event and name the first one that was altered, removed or inserted.");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var result = await services.GetRequiredService<AuditLog>().VerifyAsync(token);
            if (result.Intact)
            {
                Console.WriteLine($"audit chain intact: {result.Events} event(s)");
                return 0;
            }

            await Console.Error.WriteLineAsync($"hubctl: audit chain broken: {result.Problem}");
            return 1;
        }, ct));
        return command;
    }
}

/// <summary>Who an operator command acts as, for the audit log.</summary>
internal static class OperatorIdentity
{
    public static string Current => $"hubctl ({Environment.UserName}@{Environment.MachineName})";
}
