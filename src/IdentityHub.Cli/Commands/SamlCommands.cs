using System.CommandLine;
using System.Globalization;
using IdentityHub.Saml.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>hubctl saml sp …: register relying agencies' SAML service providers from their metadata (docs/saml.md).</summary>
internal static class SamlCommands
{
    public static Command Create() => new("saml", "The SAML 2.0 identity provider's service providers.") { new Command("sp", "Service providers (relying agencies' SAML SPs).") { Add(), List(), Update(), Refresh(), Enable(true), Enable(false), Remove() } };

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

    /// <summary>Changes the settings given and keeps the others; the metadata is not touched (that is `refresh`).</summary>
    private static Command Update()
    {
        var entityId = new Argument<string>("entity-id") { Description = "the SP's entityID" };
        var name = new Option<string?>("--name") { Description = "the agency's name, as citizens see it" };
        var sector = new Option<string?>("--sector") { Description = "the pairwise sector ('default': the host of the entityID); changing it changes every persistent NameID the SP gets" };
        var format = new Option<string?>("--name-id-format") { Description = "persistent, transient or national-id" };
        var entitled = new Option<bool?>("--national-id-entitled") { HelpName = "true|false", Description = "the agency is entitled by law to the national identifier" };
        var attributes = new Option<string?>("--attributes") { Description = "eIDAS attributes released, comma-separated ('none' for none)" };
        var signedRequests = new Option<bool?>("--signed-requests") { HelpName = "true|false", Description = "AuthnRequests must be signed with a key from the metadata" };
        var encrypt = new Option<bool?>("--encrypt-assertions") { HelpName = "true|false", Description = "encrypt assertions (true needs an encryption key in the metadata)" };
        var signResponse = new Option<bool?>("--sign-response") { HelpName = "true|false", Description = "sign the response around the signed assertion" };
        var level = new Option<string?>("--minimum-level") { Description = "low, substantial or high" };
        var unsolicited = new Option<bool?>("--allow-unsolicited") { HelpName = "true|false", Description = "the SP accepts IdP-initiated responses" };
        var governmentService = new Option<bool?>("--government-service") { HelpName = "true|false", Description = "a government service, whose citizens are not asked for consent" };
        var command = new Command("update", "Change an SP's settings; those not given stay as they are. Checked as at registration; audited with what changed.")
        {
            entityId, name, sector, format, entitled, attributes, signedRequests, encrypt, signResponse, level, unsolicited, governmentService,
        };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var id = parse.GetValue(entityId)!;
            var providers = services.GetRequiredService<ServiceProviders>();
            if (await RegisteredAsync(providers, id, token) is not { } now)
            {
                return 1;
            }

            var sectorGiven = parse.GetValue(sector);
            var settings = new ServiceProviderSettings
            {
                DisplayName = parse.GetValue(name) ?? now.DisplayName,
                Sector = sectorGiven is null ? now.Sector : sectorGiven == "default" ? null : sectorGiven,
                NameIdFormat = parse.GetValue(format) ?? now.NameIdFormat,
                NationalIdEntitled = parse.GetValue(entitled) ?? now.NationalIdEntitled,
                Attributes = parse.GetValue(attributes) is { } list
                    ? list.Trim() == "none" ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : now.Attributes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                RequireSignedRequests = parse.GetValue(signedRequests) ?? now.RequireSignedRequests,
                EncryptAssertions = parse.GetValue(encrypt) ?? now.EncryptAssertions,
                SignResponse = parse.GetValue(signResponse) ?? now.SignResponse,
                MinimumLevel = parse.GetValue(level) ?? now.MinimumLevel,
                AllowUnsolicited = parse.GetValue(unsolicited) ?? now.AllowUnsolicited,
                GovernmentService = parse.GetValue(governmentService) ?? now.GovernmentService,
            };
            var change = await providers.UpdateSettingsAsync(id, settings, OperatorIdentity.Current, token);
            return await ReportAsync(change, id, "updated");
        }, ct));
        return command;
    }

    /// <summary>A newer copy of an SP's metadata (a new key, a new endpoint), from where it was read last unless given.</summary>
    private static Command Refresh()
    {
        var entityId = new Argument<string>("entity-id") { Description = "the SP's entityID" };
        var metadata = new Option<string?>("--metadata") { Description = "the new metadata: a file, or an https URL (default: where it was read from last)" };
        var command = new Command("refresh", "Replace an SP's metadata with a newer copy of the same entity; its settings stay. Checked as at registration; audited with what changed.")
        {
            entityId, metadata,
        };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var id = parse.GetValue(entityId)!;
            var providers = services.GetRequiredService<ServiceProviders>();
            if (await RegisteredAsync(providers, id, token) is not { } now)
            {
                return 1;
            }

            if ((parse.GetValue(metadata) ?? now.MetadataSource) is not { Length: > 0 } source)
            {
                await Console.Error.WriteLineAsync($"hubctl: the hub does not know where the metadata of {id} came from; give --metadata");
                return 1;
            }

            var read = await MetadataSource.ReadAsync(source, token);
            if (read.Metadata is not { } bytes)
            {
                await Console.Error.WriteLineAsync($"hubctl: the metadata could not be read from {read.Source}: {read.Reason}");
                return 1;
            }

            return await ReportAsync(await providers.RefreshMetadataAsync(id, bytes, read.Source, OperatorIdentity.Current, token), id, "refreshed");
        }, ct));
        return command;
    }

    /// <summary>The SP as registered now; null, with the sentence on standard error, when it is not.</summary>
    private static async Task<ServiceProviderView?> RegisteredAsync(ServiceProviders providers, string entityId, CancellationToken ct)
    {
        if ((await providers.ListAsync(ct)).FirstOrDefault(p => p.EntityId == entityId) is { } registered)
        {
            return registered;
        }

        await Console.Error.WriteLineAsync($"hubctl: no SP {entityId} is registered");
        return null;
    }

    private static async Task<int> ReportAsync(ServiceProviderChange change, string entityId, string done)
    {
        if (!change.Found)
        {
            await Console.Error.WriteLineAsync($"hubctl: no SP {entityId} is registered");
            return 1;
        }

        if (change.Problem is { } problem)
        {
            await Console.Error.WriteLineAsync($"hubctl: {problem}");
            return 1;
        }

        Console.WriteLine(change.Changed.Count == 0 ? $"{done} {entityId}: nothing changed" : $"{done} {entityId}: {string.Join(", ", change.Changed)} changed");
        return 0;
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
        var command = new Command("remove", "Remove an SP. Audited.") { entityId };
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
