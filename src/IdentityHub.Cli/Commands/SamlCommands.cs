using System.CommandLine;
using System.Globalization;
using IdentityHub.Saml.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>hubctl saml sp …: register relying agencies' SAML service providers from their metadata (docs/saml.md).</summary>
internal static class SamlCommands
{
    public static Command Create() => new("saml", "The SAML 2.0 identity provider's service providers.") { new Command("sp", "Service providers (relying agencies' SAML SPs).") { Add(), List(), Enable(true), Enable(false), Remove() } };

    private static Command Add()
    {
        var metadata = new Option<string>("--metadata") { Description = "the SP's metadata: a file, or an https URL to fetch it from", Required = true };
        var name = new Option<string>("--name") { Description = "the agency's name, as citizens see it", Required = true };
        var sector = new Option<string?>("--sector") { Description = "the pairwise sector (default: the host of the entityID); SPs of one sector get the same persistent NameID" };
        var format = new Option<string>("--name-id-format") { Description = "persistent (pairwise, default), transient, or national-id (needs --national-id-entitled)", DefaultValueFactory = _ => ServiceProviders.Persistent };
        var entitled = new Option<bool>("--national-id-entitled") { Description = "the agency is entitled by law to the national identifier" };
        var attributes = new Option<string?>("--attributes") { Description = $"eIDAS attributes released, comma-separated (default: {string.Join(",", ServiceProviders.KnownAttributes)}; 'none' for none)" };
        var unsigned = new Option<bool>("--unsigned-requests") { Description = "accept unsigned AuthnRequests (default: they must be signed with a key from the metadata)" };
        var noEncrypt = new Option<bool>("--no-encryption") { Description = "do not encrypt assertions even though the metadata has an encryption key" };
        var noSignResponse = new Option<bool>("--assertion-signature-only") { Description = "sign only the assertion, not the response around it" };
        var level = new Option<string>("--minimum-level") { Description = "low, substantial (default) or high: the lowest level the SP gets", DefaultValueFactory = _ => "substantial" };
        var unsolicited = new Option<bool>("--allow-unsolicited") { Description = "the SP accepts IdP-initiated (unsolicited) responses" };
        var governmentService = new Option<bool>("--government-service") { Description = "a government service: citizens are not asked for consent (audited); default: they are" };
        var command = new Command("add", "Register an SP from its metadata. Audited.") { metadata, name, sector, format, entitled, attributes, unsigned, noEncrypt, noSignResponse, level, unsolicited, governmentService };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var source = parse.GetValue(metadata)!;
            var read = await MetadataSource.ReadAsync(source, token);
            if (read.Metadata is not { } bytes)
            {
                await Console.Error.WriteLineAsync($"hubctl: the metadata could not be read from {read.Source}: {read.Reason}");
                return 1;
            }

            var released = parse.GetValue(attributes) is { } list
                ? list.Trim() == "none" ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : null;
            var (entityId, problem) = await services.GetRequiredService<ServiceProviders>().AddAsync(new ServiceProviderSpec
            {
                Metadata = bytes,
                MetadataSource = read.Source,
                DisplayName = parse.GetValue(name)!,
                Sector = parse.GetValue(sector),
                NameIdFormat = parse.GetValue(format),
                NationalIdEntitled = parse.GetValue(entitled),
                Attributes = released,
                RequireSignedRequests = !parse.GetValue(unsigned),
                EncryptAssertions = parse.GetValue(noEncrypt) ? false : null,
                SignResponse = !parse.GetValue(noSignResponse),
                MinimumLevel = parse.GetValue(level),
                AllowUnsolicited = parse.GetValue(unsolicited),
                GovernmentService = parse.GetValue(governmentService),
            }, OperatorIdentity.Current, token);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"hubctl: {problem}");
                return 1;
            }

            Console.WriteLine($"registered {entityId}");
            return 0;
        }, ct));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the registered SPs and their settings.");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var providers = await services.GetRequiredService<ServiceProviders>().ListAsync(token);
            if (providers.Count == 0)
            {
                Console.WriteLine("No SAML service providers are registered: `hubctl saml sp add --metadata …` registers one.");
            }

            foreach (var p in providers)
            {
                Console.WriteLine(string.Join("  ", p.EntityId, $"\"{p.DisplayName}\"", p.Enabled ? "enabled" : "disabled", $"nameid={p.NameIdFormat}", $"sector={p.Sector}",
                    $"level>={p.MinimumLevel}", $"attributes={(p.Attributes.Length == 0 ? "none" : p.Attributes.Replace(' ', ','))}",
                    p.RequireSignedRequests ? "signed-requests" : "unsigned-requests-accepted", p.EncryptAssertions ? "encrypted" : "not-encrypted",
                    p.SignResponse ? "response-signed" : "assertion-signed-only", p.AllowUnsolicited ? "unsolicited-allowed" : null,
                    p.GovernmentService ? "government-service (no consent asked)" : "consent-asked",
                    $"updated {p.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}"));
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command Enable(bool enabled)
    {
        var entityId = new Argument<string>("entity-id") { Description = "the SP's entityID" };
        var command = new Command(enabled ? "enable" : "disable", enabled ? "Let a disabled SP sign citizens in again. Audited." : "Stop answering an SP's requests (its metadata stays). Audited.") { entityId };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            if (!await services.GetRequiredService<ServiceProviders>().SetEnabledAsync(parse.GetValue(entityId)!, enabled, OperatorIdentity.Current, token))
            {
                await Console.Error.WriteLineAsync($"hubctl: no SP {parse.GetValue(entityId)} is registered");
                return 1;
            }

            Console.WriteLine($"{(enabled ? "enabled" : "disabled")} {parse.GetValue(entityId)}");
            return 0;
        }, ct));
        return command;
    }

    private static Command Remove()
    {
        var entityId = new Argument<string>("entity-id") { Description = "the SP's entityID" };
        var command = new Command("remove", "Remove an SP (register it again to change its metadata). Audited.") { entityId };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            if (!await services.GetRequiredService<ServiceProviders>().RemoveAsync(parse.GetValue(entityId)!, OperatorIdentity.Current, token))
            {
                await Console.Error.WriteLineAsync($"hubctl: no SP {parse.GetValue(entityId)} is registered");
                return 1;
            }

            Console.WriteLine($"removed {parse.GetValue(entityId)}");
            return 0;
        }, ct));
        return command;
    }
}
