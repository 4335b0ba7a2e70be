using System.CommandLine;
using System.Globalization;
using IdentityHub.Authentication.Staff;
using IdentityHub.Data.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>
/// Staff accounts for the officer console. A new account's one-time password goes to stdout, alone on its line, and
/// nowhere else (not logged, not audited); everything else goes to stderr so `PW=$(hubctl staff add ...)` works.
/// </summary>
internal static class StaffCommands
{
    public static Command Create() => new("staff", "Staff accounts of the officer console.")
    {
        BootstrapAdmin(),
        Add(),
        List(),
        Disable(),
        Assign(),
        Unassign(),
        Roles(),
    };

    private static Command BootstrapAdmin()
    {
        var user = new Option<string>("--user") { Description = "User name of the first admin.", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown in the console." };
        var force = new Option<bool>("--force") { Description = "Create another admin even though one exists." };
        var command = new Command("bootstrap-admin", "Create the first admin account and print its one-time password once.") { user, displayName, force };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
            await PrintAsync(await services.GetRequiredService<StaffAccounts>().BootstrapAdminAsync(
                parse.GetRequiredValue(user), parse.GetValue(displayName), parse.GetValue(force), OperatorIdentity.Current, token), StaffRoles.Admin), ct));
        return command;
    }

    private static Command Add()
    {
        var user = new Option<string>("--user") { Description = "User name.", Required = true };
        var role = new Option<string>("--role") { Description = "officer, supervisor, helpdesk, auditor or admin.", Required = true };
        role.AcceptOnlyFromAmong([.. StaffRoles.All]);
        var displayName = new Option<string?>("--display-name") { Description = "Name shown in the console." };
        var servicePoints = new Option<string[]>("--service-point") { Description = "A service point the member works at (repeat for several); officers and supervisors need one." };
        var command = new Command("add", "Create a staff account with one role and print its one-time password once.") { user, role, displayName, servicePoints };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var created = await services.GetRequiredService<StaffAccounts>().CreateAsync(
                parse.GetRequiredValue(user), parse.GetValue(displayName), parse.GetRequiredValue(role), OperatorIdentity.Current, token);
            foreach (var point in created.Succeeded ? parse.GetValue(servicePoints) ?? [] : [])
            {
                if (await services.GetRequiredService<StaffServicePoints>().AssignAsync(created.UserName!, point, OperatorIdentity.Current, token) is { } error)
                {
                    await Console.Error.WriteLineAsync($"hubctl: {error}");
                    return 1;
                }
            }

            return await PrintAsync(created, parse.GetRequiredValue(role));
        }, ct));
        return command;
    }

    private static Command Assign() => AssignmentCommand("assign", "Assign a staff member to a service point: officers and supervisors act only for the service points they are assigned to.",
        (points, name, code, token) => points.AssignAsync(name, code, OperatorIdentity.Current, token), "assigned {0} to {1}");

    private static Command Unassign() => AssignmentCommand("unassign", "Remove a staff member from a service point; their sessions there end at once.",
        (points, name, code, token) => points.UnassignAsync(name, code, OperatorIdentity.Current, token), "removed {0} from {1}");

    private static Command AssignmentCommand(string verb, string description, Func<StaffServicePoints, string, string, CancellationToken, Task<string?>> change, string done)
    {
        var user = new Option<string>("--user") { Description = "User name.", Required = true };
        var servicePoint = new Option<string>("--service-point") { Description = "Service point code, e.g. TLN-01.", Required = true };
        var command = new Command(verb, description) { user, servicePoint };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var error = await change(services.GetRequiredService<StaffServicePoints>(), parse.GetRequiredValue(user), parse.GetRequiredValue(servicePoint), token);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"hubctl: {error}");
                return 1;
            }

            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, done, parse.GetRequiredValue(user), parse.GetRequiredValue(servicePoint).ToUpperInvariant()));
            return 0;
        }, ct));
        return command;
    }

    private static Command Roles() => new("roles", "Staff roles.") { SetRoles() };

    private static Command SetRoles()
    {
        var name = new Argument<string>("user") { Description = "User name." };
        var roles = new Argument<string[]>("role") { Description = "The account's roles from now on (officer, supervisor, helpdesk, auditor, admin); the others are taken away.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("set", "Give a staff account exactly these roles; its open sessions end at their next request.") { name, roles };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var wanted = parse.GetRequiredValue(roles);
            var error = await services.GetRequiredService<StaffAccountChanges>().SetRolesAsync(parse.GetRequiredValue(name), wanted, OperatorIdentity.Current, token);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"hubctl: {error}");
                return 1;
            }

            Console.WriteLine($"{parse.GetRequiredValue(name)} has roles {string.Join(' ', wanted.Select(r => r.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal))}");
            return 0;
        }, ct));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List staff accounts, their roles and state.");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var accounts = await services.GetRequiredService<StaffAccounts>().ListAsync(token);
            Console.WriteLine($"{"user",-20} {"roles",-20} {"service points",-20} {"state",-24} {"created",-20} name");
            foreach (var a in accounts)
            {
                var state = a.Disabled ? "disabled" : a.MustChangePassword ? "one-time password set" : "active";
                var created = a.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
                var points = a.ServicePoints.Count == 0 ? "-" : string.Join(',', a.ServicePoints);
                Console.WriteLine($"{a.UserName,-20} {string.Join(',', a.Roles),-20} {points,-20} {state,-24} {created,-20} {a.DisplayName}");
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command Disable()
    {
        var name = new Argument<string>("name") { Description = "User name of the account to disable." };
        var command = new Command("disable", "Disable a staff account: it can no longer sign in and its sessions end within a minute.") { name };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var error = await services.GetRequiredService<StaffAccounts>().DisableAsync(parse.GetRequiredValue(name), OperatorIdentity.Current, token);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"hubctl: {error}");
                return 1;
            }

            Console.WriteLine($"disabled {parse.GetRequiredValue(name)}");
            return 0;
        }, ct));
        return command;
    }

    private static async Task<int> PrintAsync(StaffAccountCreation result, string role)
    {
        if (!result.Succeeded)
        {
            await Console.Error.WriteLineAsync($"hubctl: {result.Error}");
            return 1;
        }

        await Console.Error.WriteLineAsync(
            $"hubctl: created staff account {result.UserName} ({role}). Its one-time password follows; it is shown only now and must be changed at first sign-in:");
        Console.WriteLine(result.OneTimePassword);
        return 0;
    }
}
