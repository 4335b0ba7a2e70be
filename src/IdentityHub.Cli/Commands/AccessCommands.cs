using System.CommandLine;
using IdentityHub.Enrolment.Http;
using IdentityHub.Enrolment.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>hubctl service-points … and hubctl api-credentials …: where enrolment happens and which devices may call the API.</summary>
internal static class AccessCommands
{
    public static Command ServicePointsCommand()
    {
        var code = new Argument<string>("CODE") { Description = "e.g. TLN-01 (A-Z, 0-9, '-')" };
        var name = new Option<string>("--name") { Description = "the name officers see", Required = true };
        var add = new Command("add", "Add a service point (idempotent).") { code, name };
        add.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var added = await services.GetRequiredService<ServicePoints>().AddAsync(parse.GetValue(code)!, parse.GetValue(name)!, OperatorIdentity.Current, token);
            Console.WriteLine(added ? $"added service point {parse.GetValue(code)}" : $"service point {parse.GetValue(code)} exists");
            return 0;
        }, ct));
        var list = new Command("list", "List open service points.");
        list.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            foreach (var point in await services.GetRequiredService<ServicePoints>().OpenAsync(token))
            {
                Console.WriteLine($"{point.Code,-16} {point.Name}");
            }

            return 0;
        }, ct));
        return new Command("service-points", "Counters and offices where people are enrolled.") { add, list };
    }

    public static Command ApiCredentialsCommand()
    {
        var servicePoint = new Option<string>("--service-point") { Description = "the service point the device belongs to", Required = true };
        var name = new Option<string>("--name") { Description = "which device or job, e.g. counter-3", Required = true };
        var days = new Option<int>("--days") { Description = "lifetime in days (default 90; rotate before it ends)", DefaultValueFactory = _ => 90 };
        var issue = new Command("issue", "Issue an API credential; the token is printed once and never stored.") { servicePoint, name, days };
        issue.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var lifetime = parse.GetValue(days);
            if (lifetime is < 1 or > 397)
            {
                throw new ArgumentException("--days is 1 to 397.");
            }

            var issued = await services.GetRequiredService<ApiCredentials>().IssueAsync(parse.GetValue(servicePoint)!, parse.GetValue(name)!,
                TimeSpan.FromDays(lifetime), OperatorIdentity.Current, token);
            Console.WriteLine($"credential {issued.Id:N} for {issued.ServicePoint} ({issued.Name}), valid until {issued.ExpiresAt:yyyy-MM-dd}");
            Console.WriteLine("token (shown once; give it to the device over a secure channel):");
            Console.WriteLine(issued.Token);
            return 0;
        }, ct));
        var list = new Command("list", "List API credentials (never their secrets).");
        list.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            foreach (var c in await services.GetRequiredService<ApiCredentials>().ListAsync(token))
            {
                var state = c.RevokedAt is not null ? "revoked" : c.ExpiresAt < DateTimeOffset.UtcNow ? "expired" : "active";
                Console.WriteLine($"{c.Id:N} {c.ServicePoint,-12} {c.Name,-20} {state,-8} until {c.ExpiresAt:yyyy-MM-dd} last used {(c.LastUsedAt is null ? "never" : c.LastUsedAt.Value.ToString("yyyy-MM-dd"))}");
            }

            return 0;
        }, ct));
        var id = new Argument<Guid>("ID") { Description = "the credential id from `list`" };
        var revoke = new Command("revoke", "Revoke an API credential at once.") { id };
        revoke.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var revoked = await services.GetRequiredService<ApiCredentials>().RevokeAsync(parse.GetValue(id), OperatorIdentity.Current, token);
            Console.WriteLine(revoked ? "revoked" : "no such active credential");
            return revoked ? 0 : 1;
        }, ct));
        return new Command("api-credentials", "Credentials of counter devices and batch jobs for the enrolment API.") { issue, list, revoke };
    }
}
