using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Metadata;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Saml.Providers;

/// <summary>
/// Changes to a registered SP after its registration: its settings, and a newer copy of its metadata. Each runs in one
/// transaction with its audit event, after the same checks as registration, so a refusal writes nothing. UpdatedAt
/// always moves forward, so every node's cache of parsed metadata (ServiceProviders.FindAsync) sees the change.
/// </summary>
internal sealed class ServiceProviderChanges(HubDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>The sector column holds 255 characters; a sector is a host name or URI, without spaces.</summary>
    public static string? SectorProblem(string sector) =>
        sector.Length > 255 || sector.Any(char.IsWhiteSpace)
            ? "The sector is a host name (or a URI) of at most 255 characters, without spaces."
            : null;

    public async Task<ServiceProviderChange> UpdateSettingsAsync(string entityId, ServiceProviderSettings settings, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.SamlServiceProviders.FirstOrDefaultAsync(s => s.EntityId == entityId, ct);
        if (row is null)
        {
            return ServiceProviderChange.NotFound;
        }

        var now = time.GetUtcNow();
        var (metadata, problem) = SpMetadataReader.Read(Encoding.UTF8.GetBytes(row.MetadataXml), now);
        if (metadata is null)
        {
            return ServiceProviderChange.Refused($"The registered metadata can no longer be used ({problem}); refresh it before changing the settings.");
        }

        var sector = (string.IsNullOrWhiteSpace(settings.Sector) ? ServiceProviders.DefaultSector(row.EntityId) : settings.Sector).Trim().ToLowerInvariant();
        var spec = new ServiceProviderSpec
        {
            Metadata = [],
            DisplayName = settings.DisplayName,
            Sector = sector,
            NameIdFormat = settings.NameIdFormat,
            NationalIdEntitled = settings.NationalIdEntitled,
            Attributes = settings.Attributes,
            RequireSignedRequests = settings.RequireSignedRequests,
            EncryptAssertions = settings.EncryptAssertions,
            SignResponse = settings.SignResponse,
            MinimumLevel = settings.MinimumLevel,
            AllowUnsolicited = settings.AllowUnsolicited,
        };
        if ((ServiceProviders.Refusal(spec, metadata) ?? SectorProblem(sector)) is { } refused)
        {
            return ServiceProviderChange.Refused(refused);
        }

        var before = Settings(row);
        row.DisplayName = settings.DisplayName.Trim();
        row.Sector = sector;
        row.NameIdFormat = settings.NameIdFormat;
        row.NationalIdEntitled = settings.NationalIdEntitled;
        // In the hub's order, so that the same set is never a change.
        row.Attributes = string.Join(' ', ServiceProviders.KnownAttributes.Where(a => settings.Attributes.Contains(a, StringComparer.Ordinal)));
        row.RequireSignedRequests = settings.RequireSignedRequests;
        row.EncryptAssertions = settings.EncryptAssertions;
        row.SignResponse = settings.SignResponse;
        row.MinimumLevel = settings.MinimumLevel.Trim().ToLowerInvariant();
        row.AllowUnsolicited = settings.AllowUnsolicited;
        row.GovernmentService = settings.GovernmentService;
        var after = Settings(row);
        var changed = after.Keys.Where(k => !string.Equals(before.GetValueOrDefault(k), after[k], StringComparison.Ordinal)).ToList();
        if (changed.Count == 0)
        {
            return ServiceProviderChange.Done([]);
        }

        row.UpdatedAt = Later(row.UpdatedAt, now);
        await db.SaveChangesAsync(ct);
        after["changed"] = string.Join(' ', changed);
        await audit.AppendAsync(new AuditEvent("saml.sp.updated", actor, row.EntityId, after), ct);
        await tx.CommitAsync(ct);
        return ServiceProviderChange.Done(changed);
    }

    public async Task<ServiceProviderChange> RefreshMetadataAsync(string entityId, byte[] metadata, string? source, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var now = time.GetUtcNow();
        var (fresh, problem) = SpMetadataReader.Read(metadata, now);
        if (fresh is null)
        {
            return ServiceProviderChange.Refused("The metadata cannot be used: " + problem);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.SamlServiceProviders.FirstOrDefaultAsync(s => s.EntityId == entityId, ct);
        if (row is null)
        {
            return ServiceProviderChange.NotFound;
        }

        // The entityID is the SP's name in every request and in the pairwise sector's default: it never changes.
        if (!string.Equals(fresh.EntityId, row.EntityId, StringComparison.Ordinal))
        {
            return ServiceProviderChange.Refused(
                $"The metadata is for entityID {fresh.EntityId}, not {row.EntityId}. An SP's entityID never changes: register {fresh.EntityId} as a new SP instead.");
        }

        var settings = new ServiceProviderSpec
        {
            Metadata = metadata,
            DisplayName = row.DisplayName,
            Sector = row.Sector,
            NameIdFormat = row.NameIdFormat,
            NationalIdEntitled = row.NationalIdEntitled,
            Attributes = row.Attributes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            RequireSignedRequests = row.RequireSignedRequests,
            EncryptAssertions = row.EncryptAssertions,
            SignResponse = row.SignResponse,
            MinimumLevel = row.MinimumLevel,
            AllowUnsolicited = row.AllowUnsolicited,
        };
        if (ServiceProviders.Refusal(settings, fresh) is { } refused)
        {
            return ServiceProviderChange.Refused("The new metadata does not fit this SP's settings: " + refused + " Change the settings first.");
        }

        var (old, _) = SpMetadataReader.Read(Encoding.UTF8.GetBytes(row.MetadataXml), now);
        var freshSummary = Summary(fresh);
        var oldSummary = old is null ? [] : Summary(old);
        var changed = freshSummary.Where(p => !string.Equals(oldSummary.GetValueOrDefault(p.Key), p.Value, StringComparison.Ordinal)).Select(p => p.Key).ToList();
        row.MetadataXml = Encoding.UTF8.GetString(metadata);
        row.MetadataSource = source is { Length: > MetadataSource.MaxSourceLength } ? source[..MetadataSource.MaxSourceLength] : source;
        row.UpdatedAt = Later(row.UpdatedAt, now);
        await db.SaveChangesAsync(ct);
        var details = new Dictionary<string, string>(freshSummary)
        {
            ["metadataSource"] = row.MetadataSource ?? "",
            ["changed"] = string.Join(' ', changed),
        };
        await audit.AppendAsync(new AuditEvent("saml.sp.metadata-refreshed", actor, row.EntityId, details), ct);
        await tx.CommitAsync(ct);
        return ServiceProviderChange.Done(changed);
    }

    public async Task<ServiceProviderDetail?> DetailAsync(string entityId, CancellationToken ct)
    {
        var row = await db.SamlServiceProviders.AsNoTracking().FirstOrDefaultAsync(s => s.EntityId == entityId, ct);
        if (row is null)
        {
            return null;
        }

        var (metadata, problem) = SpMetadataReader.Read(Encoding.UTF8.GetBytes(row.MetadataXml), time.GetUtcNow());
        return new ServiceProviderDetail(ServiceProviders.ViewOf(row), row.CreatedAt, metadata, problem);
    }

    /// <summary>The settings as audited (registration's details, and whether the Response is signed).</summary>
    private static Dictionary<string, string> Settings(ServiceProviderRecord row)
    {
        var settings = ServiceProviders.AuditDetails(row);
        settings["signResponse"] = row.SignResponse ? "true" : "false";
        return settings;
    }

    /// <summary>What the hub uses from metadata, one text per part, to say which parts a refresh changed.</summary>
    private static Dictionary<string, string> Summary(SpMetadata m) => new(StringComparer.Ordinal)
    {
        ["assertionConsumerServices"] = string.Join(' ', m.AssertionConsumerServices.Select(Endpoint)),
        ["singleLogoutServices"] = string.Join(' ', m.SingleLogoutServices.Select(Endpoint)),
        ["signingCertificates"] = string.Join(' ', m.SigningCertificates.Select(Thumbprint)),
        ["encryptionCertificates"] = string.Join(' ', m.EncryptionCertificates.Select(Thumbprint)),
        ["encryptionMethods"] = string.Join(' ', m.EncryptionMethods),
        ["nameIdFormats"] = string.Join(' ', m.NameIdFormats),
        ["authnRequestsSigned"] = m.AuthnRequestsSigned ? "true" : "false",
        ["wantAssertionsSigned"] = m.WantAssertionsSigned ? "true" : "false",
        ["validUntil"] = m.ValidUntil?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "",
    };

    private static string Endpoint(SpEndpoint e) =>
        $"{e.Location}|{e.Binding}|{e.Index?.ToString(CultureInfo.InvariantCulture)}|{(e.IsDefault ? "default" : "")}|{e.ResponseLocation}";

    /// <summary>The certificate's SHA-256 thumbprint (hex), as the console shows it.</summary>
    public static string Thumbprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexString(SHA256.HashData(certificate.RawData));
    }

    /// <summary>
    /// A new UpdatedAt strictly after the stored one, at PostgreSQL's microsecond precision, even when the clock has not
    /// moved (two changes in one microsecond, or a clock set back): the caches are keyed by it.
    /// </summary>
    private static DateTimeOffset Later(DateTimeOffset previous, DateTimeOffset now) =>
        now > previous.AddTicks(10) ? now : previous.AddTicks(10);
}
