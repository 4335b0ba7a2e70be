using System.Net;
using System.Net.Sockets;
using System.Text;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Saml.Providers;
using IdentityHub.Testing;
using IdentityHub.Testing.Saml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// The SP registry after registration, as the console uses it: settings changed with the checks of registration,
/// metadata refreshed for the same entityID only, each audited with what changed, a refusal writing nothing, and the
/// node's cache of parsed metadata never serving the old copy; and MetadataSource, which reads metadata for hubctl and
/// the console alike (file, upload, URL).
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ServiceProviderRegistryTests(HubFixture hub)
{
    [Fact]
    public async Task Settings_are_checked_as_at_registration_audited_with_what_changed_and_a_refusal_writes_nothing()
    {
        var entityId = $"https://permits-{Guid.NewGuid():N}.agency.test/saml";
        await using var scope = hub.App.Services.CreateAsyncScope();
        var providers = scope.ServiceProvider.GetRequiredService<ServiceProviders>();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        // A sector longer than its column is refused with a sentence at registration too, not a database error.
        var (none, tooLong) = await providers.AddAsync(new ServiceProviderSpec
        {
            Metadata = Metadata(entityId, "https://permits.agency.test/acs"), DisplayName = "Permits", Sector = new string('s', 256),
        }, "tests", default);
        Assert.Null(none);
        Assert.Contains("at most 255 characters", tooLong, StringComparison.Ordinal);

        var (added, problem) = await providers.AddAsync(new ServiceProviderSpec { Metadata = Metadata(entityId, "https://permits.agency.test/acs"), DisplayName = "Permits" }, "tests", default);
        Assert.True(problem is null, problem);
        var before = await Row(db, entityId);

        // Each refusal is a sentence, and leaves the row and the audit log as they were.
        var refusals = new (ServiceProviderSettings Settings, string Expected)[]
        {
            (Settings() with { NameIdFormat = ServiceProviders.NationalId }, "national identifier as NameID is for an agency entitled to it by law"),
            (Settings() with { Attributes = ["CurrentGivenName", "Email"] }, "'Email' is not an attribute the hub releases"),
            (Settings() with { MinimumLevel = "very high" }, "The minimum level is low, substantial or high."),
            (Settings() with { DisplayName = " " }, "The display name is what citizens see"),
            (Settings() with { Sector = new string('s', 256) }, "The sector is a host name"),
        };
        foreach (var (settings, expected) in refusals)
        {
            var refused = await providers.UpdateSettingsAsync(added!, settings, "admin-ann", default);
            Assert.True(refused.Found);
            Assert.Contains(expected, refused.Problem, StringComparison.Ordinal);
        }

        db.ChangeTracker.Clear();
        var unchanged = await Row(db, entityId);
        Assert.Equal(before.UpdatedAt, unchanged.UpdatedAt);
        Assert.Equal((before.DisplayName, before.Attributes, before.MinimumLevel, before.NameIdFormat, before.Sector),
            (unchanged.DisplayName, unchanged.Attributes, unchanged.MinimumLevel, unchanged.NameIdFormat, unchanged.Sector));
        Assert.Equal(0, await db.AuditEvents.CountAsync(e => e.Subject == entityId && e.Type == "saml.sp.updated"));

        // A good change: saved, audited with the names of what changed, and what the SSO endpoints read at once.
        var change = await providers.UpdateSettingsAsync(added!, Settings() with
        {
            DisplayName = "Building permits",
            Attributes = ["DateOfBirth", "CurrentGivenName"],
            MinimumLevel = "high",
            NameIdFormat = ServiceProviders.NationalId,
            NationalIdEntitled = true,
            SignResponse = false,
            GovernmentService = true,
        }, "admin-ann", default);
        Assert.True(change.Succeeded, change.Problem);
        Assert.Equal(["displayName", "nameIdFormat", "nationalIdEntitled", "attributes", "minimumLevel", "governmentService", "consent", "signResponse"], change.Changed);
        var sp = await providers.FindAsync(entityId, default);
        Assert.NotNull(sp);
        Assert.Equal(IdentityHub.Authentication.Assurance.LevelOfAssurance.High, sp.MinimumLevel);
        Assert.Equal(["CurrentGivenName", "DateOfBirth"], sp.Attributes);
        Assert.Equal("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified", sp.NameIdFormatUri);
        Assert.False(sp.Record.SignResponse);
        Assert.True(sp.Record.GovernmentService);
        var audited = await db.AuditEvents.SingleAsync(e => e.Subject == entityId && e.Type == "saml.sp.updated");
        Assert.Equal("admin-ann", audited.Actor);
        Assert.Contains("\"changed\":\"displayName nameIdFormat nationalIdEntitled attributes minimumLevel governmentService consent signResponse\"", audited.Details, StringComparison.Ordinal);

        // The same settings again change nothing and are not audited again.
        var again = await providers.UpdateSettingsAsync(added!, Settings() with
        {
            DisplayName = "Building permits",
            Attributes = ["CurrentGivenName", "DateOfBirth"],
            MinimumLevel = "high",
            NameIdFormat = ServiceProviders.NationalId,
            NationalIdEntitled = true,
            SignResponse = false,
            GovernmentService = true,
        }, "admin-ann", default);
        Assert.True(again.Succeeded);
        Assert.Empty(again.Changed);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Subject == entityId && e.Type == "saml.sp.updated"));

        Assert.False((await providers.UpdateSettingsAsync("https://nobody.agency.test/saml", Settings(), "admin-ann", default)).Found);
    }

    [Fact]
    public async Task Encryption_needs_an_encryption_key_and_signed_requests_a_signing_key_in_the_metadata()
    {
        var entityId = $"https://keyless-{Guid.NewGuid():N}.agency.test/saml";
        await using var scope = hub.App.Services.CreateAsyncScope();
        var providers = scope.ServiceProvider.GetRequiredService<ServiceProviders>();
        var (added, problem) = await providers.AddAsync(new ServiceProviderSpec
        {
            Metadata = Metadata(entityId, "https://keyless.agency.test/acs", keys: null),
            DisplayName = "Keyless",
            RequireSignedRequests = false,
        }, "tests", default);
        Assert.True(problem is null, problem);

        var encrypt = await providers.UpdateSettingsAsync(added!, Settings() with { RequireSignedRequests = false, EncryptAssertions = true }, "admin-ann", default);
        Assert.StartsWith("Assertions cannot be encrypted: the metadata has no encryption key", encrypt.Problem, StringComparison.Ordinal);
        var signed = await providers.UpdateSettingsAsync(added!, Settings() with { RequireSignedRequests = true, EncryptAssertions = false }, "admin-ann", default);
        Assert.StartsWith("Signed requests are required but the metadata has no signing key", signed.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refreshed_metadata_must_be_for_the_same_entity_and_fit_the_settings_and_the_cache_never_serves_the_old_copy()
    {
        var entityId = $"https://land-{Guid.NewGuid():N}.agency.test/saml";
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        // A clock that does not move: the refresh must still be seen, even within one microsecond of the registration.
        var frozen = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var providers = new ServiceProviders(db, scope.ServiceProvider.GetRequiredService<AuditLog>(), frozen);
        var (added, problem) = await providers.AddAsync(new ServiceProviderSpec
        {
            Metadata = Metadata(entityId, "https://land.agency.test/acs/old"),
            MetadataSource = "land-v1.xml",
            DisplayName = "Land registry",
        }, "tests", default);
        Assert.True(problem is null, problem);
        Assert.Equal("https://land.agency.test/acs/old", (await providers.FindAsync(entityId, default))!.DefaultAcs!.Location);
        db.ChangeTracker.Clear();
        var before = await Row(db, entityId);

        var refusals = new (byte[] Metadata, string Expected)[]
        {
            (Metadata($"https://other-{Guid.NewGuid():N}.agency.test/saml", "https://land.agency.test/acs/new"), "An SP's entityID never changes"),
            (Metadata(entityId, "https://land.agency.test/acs/new", keys: "signing"), "The new metadata does not fit this SP's settings: Assertions cannot be encrypted"),
            (Metadata(entityId, "http://land.agency.test/acs/new"), "The metadata cannot be used: "),
            ("<!DOCTYPE x [<!ENTITY a \"b\">]><x/>"u8.ToArray(), "The metadata cannot be used: The metadata contains a DTD"),
        };
        foreach (var (metadata, expected) in refusals)
        {
            var refused = await providers.RefreshMetadataAsync(added!, metadata, "land-v2.xml", "admin-ann", default);
            Assert.True(refused.Found);
            Assert.Contains(expected, refused.Problem, StringComparison.Ordinal);
        }

        db.ChangeTracker.Clear();
        var unchanged = await Row(db, entityId);
        Assert.Equal((before.MetadataXml, before.MetadataSource, before.UpdatedAt), (unchanged.MetadataXml, unchanged.MetadataSource, unchanged.UpdatedAt));
        Assert.Equal(0, await db.AuditEvents.CountAsync(e => e.Subject == entityId && e.Type == "saml.sp.metadata-refreshed"));
        Assert.Equal("https://land.agency.test/acs/old", (await providers.FindAsync(entityId, default))!.DefaultAcs!.Location);

        // A new ACS and a new key: stored, audited with what changed, and the next lookup reads the new copy.
        var change = await providers.RefreshMetadataAsync(added!, Metadata(entityId, "https://land.agency.test/acs/new"), "land-v2.xml", "admin-ann", default);
        Assert.True(change.Succeeded, change.Problem);
        Assert.Equal(["assertionConsumerServices", "signingCertificates", "encryptionCertificates"], change.Changed);
        var sp = await providers.FindAsync(entityId, default);
        Assert.Equal("https://land.agency.test/acs/new", sp!.DefaultAcs!.Location);
        Assert.Null(sp.AcsFor("https://land.agency.test/acs/old", null));
        db.ChangeTracker.Clear();
        var refreshed = await Row(db, entityId);
        Assert.Equal("land-v2.xml", refreshed.MetadataSource);
        Assert.True(refreshed.UpdatedAt > before.UpdatedAt);
        var audited = await db.AuditEvents.SingleAsync(e => e.Subject == entityId && e.Type == "saml.sp.metadata-refreshed");
        Assert.Equal("admin-ann", audited.Actor);
        Assert.Contains("\"changed\":\"assertionConsumerServices signingCertificates encryptionCertificates\"", audited.Details, StringComparison.Ordinal);
        Assert.Contains("https://land.agency.test/acs/new", audited.Details, StringComparison.Ordinal);

        Assert.False((await providers.RefreshMetadataAsync("https://nobody.agency.test/saml", Metadata("https://nobody.agency.test/saml", "https://x.test/acs"), null, "admin-ann", default)).Found);
    }

    [Fact]
    public async Task Metadata_is_read_from_a_file_an_upload_or_a_URL_and_each_failure_is_a_reason()
    {
        // The hub's own IdP metadata over loopback http: fetched, and then refused by the registry, which wants an SP.
        // (Asked once first: the first request creates the IdP key in the HSM, which may take longer than the fetch's limit.)
        using (var warm = new HttpClient { BaseAddress = hub.BaseAddress, Timeout = TimeSpan.FromMinutes(3) })
        {
            _ = await warm.GetStringAsync("/saml/metadata");
        }

        var fetched = await MetadataSource.FetchAsync(new Uri(hub.BaseAddress, "/saml/metadata").ToString(), default);
        Assert.True(fetched.Reason is null, fetched.Reason);
        Assert.Contains("IDPSSODescriptor", Encoding.UTF8.GetString(fetched.Metadata!), StringComparison.Ordinal);
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var (_, problem) = await scope.ServiceProvider.GetRequiredService<ServiceProviders>().AddAsync(
                new ServiceProviderSpec { Metadata = fetched.Metadata!, DisplayName = "Not an SP" }, "tests", default);
            Assert.Contains("has no SPSSODescriptor", problem, StringComparison.Ordinal);
        }

        var missing = await MetadataSource.FetchAsync(new Uri(hub.BaseAddress, "/saml/no-such-metadata").ToString(), default);
        Assert.Equal("The metadata could not be read from " + new Uri(hub.BaseAddress, "/saml/no-such-metadata") + ": the server answered HTTP 404 (Not Found).", missing.Problem);
        Assert.Equal("metadata is fetched over https only (plain http only from this machine)", (await MetadataSource.FetchAsync("http://land.agency.test/metadata", default)).Reason);
        Assert.Equal("it is not an https URL", (await MetadataSource.FetchAsync("ftp://land.agency.test/metadata", default)).Reason);
        Assert.Equal("the URL must not carry a user name or password", (await MetadataSource.FetchAsync("https://user:pw@land.agency.test/metadata", default)).Reason);

        // A server that answers more than 1 MiB is cut off at the limit, whatever it says about the length.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n\r\n"u8.ToArray());
            try
            {
                await stream.WriteAsync(new byte[(2 * 1024 * 1024) + 1]);
            }
            catch (IOException)
            {
                // the client stopped reading at the limit
            }
        });
        var large = await MetadataSource.FetchAsync($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/metadata", default);
        Assert.Equal("it is larger than the limit of 1048576 bytes (1 MiB)", large.Reason);
        await serve;

        using var upload = new MemoryStream(Metadata("https://upload.agency.test/saml", "https://upload.agency.test/acs"));
        var uploaded = await MetadataSource.ReadUploadAsync(upload, upload.Length, "C:\\Users\\ann\\land\u0007.xml", default);
        Assert.Equal("uploaded file land.xml", uploaded.Source);
        Assert.Equal(upload.ToArray(), uploaded.Metadata);
        Assert.Equal("it is 2097152 bytes; the limit is 1048576 bytes (1 MiB)", (await MetadataSource.ReadUploadAsync(Stream.Null, 2 * 1024 * 1024, "big.xml", default)).Reason);
        Assert.Equal("it is empty", (await MetadataSource.ReadUploadAsync(Stream.Null, 0, "empty.xml", default)).Reason);

        var file = Path.Combine(hub.WorkDirectory.FullName, "sp-" + Guid.NewGuid().ToString("N") + ".xml");
        await File.WriteAllBytesAsync(file, upload.ToArray());
        Assert.Equal(upload.ToArray(), (await MetadataSource.ReadAsync(file, default)).Metadata);
        Assert.Equal("there is no such file", (await MetadataSource.ReadAsync(file + ".missing", default)).Reason);
    }

    private static ServiceProviderSettings Settings() => new()
    {
        DisplayName = "Permits",
        NameIdFormat = ServiceProviders.Persistent,
        Attributes = ServiceProviders.KnownAttributes,
        RequireSignedRequests = true,
        EncryptAssertions = true,
        SignResponse = true,
        MinimumLevel = "substantial",
    };

    private static Task<IdentityHub.Data.Saml.ServiceProviderRecord> Row(HubDbContext db, string entityId) =>
        db.SamlServiceProviders.AsNoTracking().SingleAsync(s => s.EntityId == entityId);

    /// <summary>SP metadata with an HTTP-POST ACS and a new key: for signing and encryption (keys ""), one use, or none (null).</summary>
    internal static byte[] Metadata(string entityId, string acs, string? keys = "")
    {
        var certificate = string.Concat(SpKeys.Create("SP of " + entityId).CertificatePem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        var use = keys is { Length: > 0 } ? $" use=\"{keys}\"" : "";
        var descriptor = keys is null ? "" : $"<md:KeyDescriptor{use}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
        return Encoding.UTF8.GetBytes($"""
            <?xml version="1.0"?>
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entityId}">
              <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
                {descriptor}
                <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
                <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="1" isDefault="true"/>
              </md:SPSSODescriptor>
            </md:EntityDescriptor>
            """);
    }
}
