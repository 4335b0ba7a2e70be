using IdentityHub.Core.Keys;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Pki;
using IdentityHub.Hsm;
using IdentityHub.Hsm.DataProtection;
using IdentityHub.Pki.Diagnostics;
using IdentityHub.Pki.Hierarchy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace IdentityHub.Pki.Authorities;

/// <summary>What `hubctl pki init` did.</summary>
public sealed record PkiInitReport(IReadOnlyList<string> Created, IReadOnlyList<string> Renewed, IReadOnlyList<string> Unchanged);

/// <summary>
/// Creates the hierarchy of pki/hierarchy.json inside the HSM, then the OCSP responder of every CA and the service
/// credentials; renews responder and service certificates that are close to expiry. Safe to run again: whatever
/// exists is kept. Each CA is saved as soon as it exists, so an interrupted run resumes where it stopped
/// (a key generated just before an interruption stays in the token unused, under its label).
/// </summary>
public sealed class PkiInitializer
{
    private readonly HubDbContext _db;
    private readonly IKeyStore _keys;
    private readonly PkiKeyring _keyring;
    private readonly CrlService _crls;
    private readonly TimeProvider _time;
    private readonly ProfileTemplates _templates;
    private readonly ILogger<PkiInitializer> _log;
    private readonly AuditLog _audit;
    private readonly DataProtectionKeyCipher _dataProtectionKeys;

    public PkiInitializer(HubDbContext db, IKeyStore keys, PkiKeyring keyring, CrlService crls, HierarchyProvider hierarchy,
        TimeProvider time, IOptions<PkiOptions> options, ILogger<PkiInitializer> log, AuditLog audit, DataProtectionKeyCipher dataProtectionKeys)
    {
        _audit = audit;
        _dataProtectionKeys = dataProtectionKeys;
        _db = db;
        _keys = keys;
        _keyring = keyring;
        _crls = crls;
        _time = time;
        _templates = new ProfileTemplates(hierarchy.Definition, options.Value.PublicBaseUrl);
        _log = log;
    }

    /// <summary>Arbitrary constant naming the "pki init" advisory lock (PostgreSQL advisory locks are numbered).</summary>
    private const long InitLock = 0x1D_4B_0B_17;

    public async Task<PkiInitReport> InitializeAsync(CancellationToken cancellationToken)
    {
        // Two runs at once (an init job and an operator, two nodes) would each generate keys and collide on insert:
        // a session-level advisory lock makes the second wait, then find everything in place.
        await _db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await _db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({InitLock})", cancellationToken);
            try
            {
                return await InitializeLockedAsync(cancellationToken);
            }
            finally
            {
                await _db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({InitLock})", CancellationToken.None);
            }
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    private async Task<PkiInitReport> InitializeLockedAsync(CancellationToken cancellationToken)
    {
        var created = new List<string>();
        var renewed = new List<string>();
        var unchanged = new List<string>();
        var hierarchy = _templates.Hierarchy;

        // The token key that encrypts the Data Protection key ring (decision 0012); nodes would create it on first use.
        if (_dataProtectionKeys.EnsureKey())
        {
            PkiLog.DataProtectionKeyCreated(_log, DataProtectionKeyCipher.KeyLabel);
        }

        var authorities = await _db.CertificateAuthorities.ToDictionaryAsync(c => c.Name, StringComparer.Ordinal, cancellationToken);
        foreach (var definition in hierarchy.Authorities)
        {
            if (authorities.ContainsKey(definition.Name))
            {
                unchanged.Add($"CA {definition.Name}");
                continue;
            }

            authorities[definition.Name] = await CreateAuthorityAsync(definition, authorities, cancellationToken);
            created.Add($"CA {definition.Name}");
        }

        var credentials = await _db.ServiceCredentials.ToDictionaryAsync(c => c.Purpose, StringComparer.Ordinal, cancellationToken);
        var ocspProfile = hierarchy.Profiles[ProfileNames.OcspResponder];
        foreach (var definition in hierarchy.Authorities)
        {
            var subject = _templates.OrganisationName($"{definition.CommonName} OCSP Responder");
            await EnsureCredentialAsync(PkiKeyring.OcspPurpose(definition.Name), ProfileNames.OcspResponder, ocspProfile, definition.Name,
                subject, authorities, credentials, created, renewed, unchanged, cancellationToken);
        }

        foreach (var service in hierarchy.ServiceCredentials)
        {
            var profile = hierarchy.Profiles[service.Profile];
            var subject = _templates.OrganisationName(profile.CommonName ?? service.Purpose);
            await EnsureCredentialAsync(service.Purpose, service.Profile, profile, profile.Issuer!, subject,
                authorities, credentials, created, renewed, unchanged, cancellationToken);
        }

        _keyring.Invalidate();
        foreach (var definition in hierarchy.Authorities)
        {
            await _crls.GetCurrentAsync(definition.Name, cancellationToken);
        }

        return new PkiInitReport(created, renewed, unchanged);
    }

    private async Task<CertificateAuthorityRecord> CreateAuthorityAsync(AuthorityDefinition definition,
        Dictionary<string, CertificateAuthorityRecord> authorities, CancellationToken cancellationToken)
    {
        var algorithm = KeyAlgorithms.Parse(definition.Key);
        var key = _keys.Generate($"ca-{definition.Name}", algorithm);
        var now = PkiClock.Now(_time);
        var template = _templates.ForAuthority(definition, SubjectPublicKeyInfo.GetInstance(key.SubjectPublicKeyInfo.ToArray()), now);

        X509Certificate certificate;
        if (definition.Issuer is null)
        {
            certificate = CertificateBuilder.Build(template, null, key.ToSignatureFactory());
        }
        else
        {
            var parent = authorities[definition.Issuer];
            var parentCert = new X509Certificate(parent.CertificateDer);
            var parentKey = _keys.Require(parent.KeyId, $"CA '{parent.Name}'");
            template = template with { NotAfter = ProfileTemplates.ClampToIssuer(template.NotAfter, parentCert) };
            certificate = CertificateBuilder.Build(template, parentCert, parentKey.ToSignatureFactory());
            CertificateRegistry.Record(_db, parent.Name, "ca", certificate, new DateTimeOffset(now, TimeSpan.Zero));
        }

        var record = new CertificateAuthorityRecord
        {
            Name = definition.Name,
            IssuerName = definition.Issuer,
            SubjectDn = certificate.SubjectDN.ToString(),
            KeyId = key.KeyId,
            KeyAlgorithm = algorithm.ToConfigName(),
            SerialNumber = SerialNumbers.ToHex(certificate.SerialNumber),
            CertificateDer = certificate.GetEncoded(),
            NotBefore = new DateTimeOffset(certificate.NotBefore, TimeSpan.Zero),
            NotAfter = new DateTimeOffset(certificate.NotAfter, TimeSpan.Zero),
            CreatedAt = new DateTimeOffset(now, TimeSpan.Zero),
        };
        _db.CertificateAuthorities.Add(record);
        await using (var tx = await _db.Database.BeginTransactionAsync(cancellationToken))
        {
            await _db.SaveChangesAsync(cancellationToken);
            await _audit.AppendAsync(new AuditEvent("pki.authority.created", "pki init", definition.Name,
                new Dictionary<string, string> { ["keyId"] = key.KeyId, ["serial"] = record.SerialNumber, ["subject"] = record.SubjectDn }), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        PkiLog.AuthorityCreated(_log, definition.Name, key.KeyId, record.SerialNumber);
        return record;
    }

    private async Task EnsureCredentialAsync(string purpose, string profileName, ProfileDefinition profile, string issuerName, X509Name subject,
        Dictionary<string, CertificateAuthorityRecord> authorities, Dictionary<string, ServiceCredentialRecord> credentials,
        List<string> created, List<string> renewed, List<string> unchanged, CancellationToken cancellationToken)
    {
        var now = PkiClock.Now(_time);
        credentials.TryGetValue(purpose, out var existing);
        if (existing is not null && existing.IssuerName == issuerName && existing.NotAfter - now > TimeSpan.FromDays(profile.RenewBeforeDays))
        {
            unchanged.Add(purpose);
            return;
        }

        var issuer = authorities[issuerName];
        var issuerCert = new X509Certificate(issuer.CertificateDer);
        var issuerKey = _keys.Require(issuer.KeyId, $"CA '{issuer.Name}'");
        var algorithm = KeyAlgorithms.Parse(profile.Key);
        var key = _keys.Generate(purpose.Replace(':', '-'), algorithm);
        var template = _templates.ForProfile(profile, issuerName, subject, SubjectPublicKeyInfo.GetInstance(key.SubjectPublicKeyInfo.ToArray()), now);
        template = template with { NotAfter = ProfileTemplates.ClampToIssuer(template.NotAfter, issuerCert) };
        var certificate = CertificateBuilder.Build(template, issuerCert, issuerKey.ToSignatureFactory());
        CertificateRegistry.Record(_db, issuerName, profileName, certificate, new DateTimeOffset(now, TimeSpan.Zero));

        var record = existing ?? new ServiceCredentialRecord
        {
            Purpose = purpose,
            IssuerName = issuerName,
            KeyId = key.KeyId,
            KeyAlgorithm = algorithm.ToConfigName(),
            SerialNumber = string.Empty,
            CertificateDer = [],
        };
        record.IssuerName = issuerName;
        record.KeyId = key.KeyId;
        record.KeyAlgorithm = algorithm.ToConfigName();
        record.SerialNumber = SerialNumbers.ToHex(certificate.SerialNumber);
        record.CertificateDer = certificate.GetEncoded();
        record.NotAfter = new DateTimeOffset(certificate.NotAfter, TimeSpan.Zero);
        record.UpdatedAt = new DateTimeOffset(now, TimeSpan.Zero);
        if (existing is null)
        {
            _db.ServiceCredentials.Add(record);
            credentials[purpose] = record;
            created.Add(purpose);
        }
        else
        {
            renewed.Add(purpose);
        }

        await using (var tx = await _db.Database.BeginTransactionAsync(cancellationToken))
        {
            await _db.SaveChangesAsync(cancellationToken);
            await _audit.AppendAsync(new AuditEvent(existing is null ? "pki.credential.issued" : "pki.credential.renewed", "pki init", purpose,
                new Dictionary<string, string> { ["keyId"] = key.KeyId, ["serial"] = record.SerialNumber, ["issuer"] = issuerName }), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        PkiLog.CredentialIssued(_log, purpose, issuerName, record.SerialNumber);
    }

}
