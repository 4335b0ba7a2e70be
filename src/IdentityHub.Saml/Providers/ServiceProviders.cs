using System.Collections.Concurrent;
using System.Text;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Metadata;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Saml.Providers;

/// <summary>A registered SP as `hubctl saml sp list` and the console show it.</summary>
public sealed record ServiceProviderView(
    string EntityId, string DisplayName, string Sector, string NameIdFormat, bool NationalIdEntitled, string Attributes, bool RequireSignedRequests,
    bool EncryptAssertions, bool SignResponse, string MinimumLevel, bool AllowUnsolicited, bool Enabled, string? MetadataSource, DateTimeOffset UpdatedAt,
    bool GovernmentService = false);

/// <summary>
/// The SP registry (saml.service_providers): registered from metadata by an operator (hubctl, the console), read on
/// every request. The parsed metadata is kept in memory per node, keyed by the row's UpdatedAt, so a change made on
/// another node is seen on the next request.
/// </summary>
public sealed class ServiceProviders(HubDbContext db, AuditLog audit, TimeProvider time)
{
    public const string Persistent = "persistent";
    public const string Transient = "transient";
    public const string NationalId = "national-id";

    /// <summary>The eIDAS natural-person attributes the hub can release, by friendly name.</summary>
    public static IReadOnlyList<string> KnownAttributes { get; } = ["PersonIdentifier", "CurrentFamilyName", "CurrentGivenName", "DateOfBirth"];

    private static readonly ConcurrentDictionary<string, (DateTimeOffset UpdatedAt, SpMetadata Metadata)> Parsed = new(StringComparer.Ordinal);

    /// <summary>Registers an SP; a problem sentence when its metadata or the settings cannot be accepted.</summary>
    public async Task<(string? EntityId, string? Problem)> AddAsync(ServiceProviderSpec spec, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = time.GetUtcNow();
        var (metadata, problem) = SpMetadataReader.Read(spec.Metadata, now);
        if (metadata is null)
        {
            return (null, "The metadata cannot be used: " + problem);
        }

        if ((Check(spec, metadata) ?? ServiceProviderChanges.SectorProblem((spec.Sector ?? SectorOf(metadata.EntityId)).Trim())) is { } refused)
        {
            return (null, refused);
        }

        if (await db.SamlServiceProviders.AnyAsync(s => s.EntityId == metadata.EntityId, ct))
        {
            return (null, $"An SP with entityID {metadata.EntityId} is registered already; remove it first to register new metadata.");
        }

        var row = new ServiceProviderRecord
        {
            EntityId = metadata.EntityId,
            DisplayName = spec.DisplayName.Trim(),
            MetadataXml = Encoding.UTF8.GetString(spec.Metadata),
            MetadataSource = spec.MetadataSource,
            Sector = (spec.Sector ?? SectorOf(metadata.EntityId)).Trim().ToLowerInvariant(),
            NameIdFormat = spec.NameIdFormat ?? Persistent,
            NationalIdEntitled = spec.NationalIdEntitled,
            Attributes = string.Join(' ', spec.Attributes ?? KnownAttributes),
            RequireSignedRequests = spec.RequireSignedRequests ?? true,
            EncryptAssertions = spec.EncryptAssertions ?? metadata.EncryptionCertificates.Count > 0,
            SignResponse = spec.SignResponse ?? true,
            MinimumLevel = (spec.MinimumLevel ?? "substantial").Trim().ToLowerInvariant(),
            AllowUnsolicited = spec.AllowUnsolicited,
            GovernmentService = spec.GovernmentService,
            Enabled = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SamlServiceProviders.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("saml.sp.added", actor, row.EntityId, Details(row)), ct);
        await tx.CommitAsync(ct);
        return (row.EntityId, null);
    }

    /// <summary>The enabled SP with this entityID and its parsed metadata; null when unknown, disabled or its metadata no longer parses.</summary>
    internal async Task<RegisteredServiceProvider?> FindAsync(string entityId, CancellationToken ct)
    {
        var row = await db.SamlServiceProviders.AsNoTracking().FirstOrDefaultAsync(s => s.EntityId == entityId && s.Enabled, ct);
        if (row is null)
        {
            return null;
        }

        if (Parsed.TryGetValue(row.EntityId, out var cached) && cached.UpdatedAt == row.UpdatedAt)
        {
            return new RegisteredServiceProvider(row, cached.Metadata);
        }

        var (metadata, _) = SpMetadataReader.Read(Encoding.UTF8.GetBytes(row.MetadataXml), time.GetUtcNow());
        if (metadata is null)
        {
            return null; // e.g. its validUntil has passed: the operator imports fresh metadata
        }

        Parsed[row.EntityId] = (row.UpdatedAt, metadata);
        return new RegisteredServiceProvider(row, metadata);
    }

    public async Task<IReadOnlyList<ServiceProviderView>> ListAsync(CancellationToken ct) =>
        [.. (await db.SamlServiceProviders.AsNoTracking().OrderBy(s => s.EntityId).ToListAsync(ct)).Select(View)];

    /// <summary>Enables or disables an SP (disabled: its requests get an error page, no answer); false when unknown.</summary>
    public async Task<bool> SetEnabledAsync(string entityId, bool enabled, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.SamlServiceProviders.FirstOrDefaultAsync(s => s.EntityId == entityId, ct);
        if (row is null)
        {
            return false;
        }

        row.Enabled = enabled;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent(enabled ? "saml.sp.enabled" : "saml.sp.disabled", actor, entityId, new Dictionary<string, string>()), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<bool> RemoveAsync(string entityId, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var removed = await db.SamlServiceProviders.Where(s => s.EntityId == entityId).ExecuteDeleteAsync(ct);
        if (removed == 1)
        {
            await audit.AppendAsync(new AuditEvent("saml.sp.removed", actor, entityId, new Dictionary<string, string>()), ct);
        }

        await tx.CommitAsync(ct);
        Parsed.TryRemove(entityId, out _);
        return removed == 1;
    }

    private static string? Check(ServiceProviderSpec spec, SpMetadata metadata)
    {
        if (string.IsNullOrWhiteSpace(spec.DisplayName) || spec.DisplayName.Trim().Length > 200)
        {
            return "The display name is what citizens see: give one of at most 200 characters.";
        }

        var format = spec.NameIdFormat ?? Persistent;
        if (format is not (Persistent or Transient or NationalId))
        {
            return "The NameID format is persistent, transient or national-id.";
        }

        if (format == NationalId && !spec.NationalIdEntitled)
        {
            return "The national identifier as NameID is for an agency entitled to it by law: record the entitlement (hubctl: --national-id-entitled; console: the entitlement checkbox), or choose persistent or transient.";
        }

        if (spec.Attributes?.FirstOrDefault(a => !KnownAttributes.Contains(a, StringComparer.Ordinal)) is { } unknown)
        {
            return $"'{unknown}' is not an attribute the hub releases ({string.Join(", ", KnownAttributes)}).";
        }

        if (!LevelsOfAssurance.TryParse(spec.MinimumLevel ?? "substantial", out _) || (spec.MinimumLevel ?? "substantial").Contains("://", StringComparison.Ordinal))
        {
            return "The minimum level is low, substantial or high.";
        }

        if (spec.EncryptAssertions == true && metadata.EncryptionCertificates.Count == 0)
        {
            return "Assertions cannot be encrypted: the metadata has no encryption key (KeyDescriptor use=\"encryption\" or without use).";
        }

        if (spec.RequireSignedRequests != false && metadata.SigningCertificates.Count == 0)
        {
            return "Signed requests are required but the metadata has no signing key: add one to the metadata, or do not require signed requests (hubctl: --unsigned-requests).";
        }

        return metadata.AssertionConsumerServices.Any(a => a.Binding == Saml.SamlBindings.HttpPost)
            ? null
            : "The metadata has no AssertionConsumerService with the HTTP-POST binding, the only one the hub answers with.";
    }

    private static string SectorOf(string entityId) =>
        Uri.TryCreate(entityId, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) ? uri.Host : entityId;

    private static ServiceProviderView View(ServiceProviderRecord r) => new(
        r.EntityId, r.DisplayName, r.Sector, r.NameIdFormat, r.NationalIdEntitled, r.Attributes, r.RequireSignedRequests, r.EncryptAssertions, r.SignResponse,
        r.MinimumLevel, r.AllowUnsolicited, r.Enabled, r.MetadataSource, r.UpdatedAt, r.GovernmentService);

    private static Dictionary<string, string> Details(ServiceProviderRecord r) => new()
    {
        ["displayName"] = r.DisplayName,
        ["sector"] = r.Sector,
        ["nameIdFormat"] = r.NameIdFormat,
        ["nationalIdEntitled"] = r.NationalIdEntitled ? "true" : "false",
        ["attributes"] = r.Attributes,
        ["requireSignedRequests"] = r.RequireSignedRequests ? "true" : "false",
        ["encryptAssertions"] = r.EncryptAssertions ? "true" : "false",
        ["minimumLevel"] = r.MinimumLevel,
        ["allowUnsolicited"] = r.AllowUnsolicited ? "true" : "false",
        ["metadataSource"] = r.MetadataSource ?? "",
        ["governmentService"] = r.GovernmentService ? "true" : "false",
        ["consent"] = r.GovernmentService ? "not asked" : "asked",
    };

    /// <summary>
    /// Changes an SP's settings (never its metadata, so never its ACS URLs), checked as at registration; audited
    /// `saml.sp.updated` with the names of what changed. The cached metadata of this node is dropped.
    /// </summary>
    public async Task<ServiceProviderChange> UpdateSettingsAsync(string entityId, ServiceProviderSettings settings, string actor, CancellationToken ct)
    {
        var change = await new ServiceProviderChanges(db, audit, time).UpdateSettingsAsync(entityId, settings, actor, ct);
        Parsed.TryRemove(entityId, out _);
        return change;
    }

    /// <summary>
    /// Replaces an SP's metadata with a newer copy of the same entity (another entityID is refused); audited
    /// `saml.sp.metadata-refreshed`. The cached metadata of this node is dropped.
    /// </summary>
    public async Task<ServiceProviderChange> RefreshMetadataAsync(string entityId, byte[] metadata, string? source, string actor, CancellationToken ct)
    {
        var change = await new ServiceProviderChanges(db, audit, time).RefreshMetadataAsync(entityId, metadata, source, actor, ct);
        Parsed.TryRemove(entityId, out _);
        return change;
    }

    /// <summary>One SP, enabled or not, with its metadata as the hub reads it now (or why it no longer can); null when unknown.</summary>
    internal Task<ServiceProviderDetail?> DetailAsync(string entityId, CancellationToken ct) =>
        new ServiceProviderChanges(db, audit, time).DetailAsync(entityId, ct);

    /// <summary>The checks of registration, for a change of settings or of metadata.</summary>
    internal static string? Refusal(ServiceProviderSpec spec, SpMetadata metadata) => Check(spec, metadata);

    internal static string DefaultSector(string entityId) => SectorOf(entityId);

    internal static ServiceProviderView ViewOf(ServiceProviderRecord record) => View(record);

    internal static Dictionary<string, string> AuditDetails(ServiceProviderRecord record) => Details(record);
}
