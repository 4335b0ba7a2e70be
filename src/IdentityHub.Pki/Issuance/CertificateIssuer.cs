using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Pki.Authorities;
using IdentityHub.Pki.Diagnostics;
using IdentityHub.Pki.Hierarchy;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1.X509;

namespace IdentityHub.Pki;

/// <summary>A certificate as issued: which CA, its serial in registry form, and its DER encoding.</summary>
public sealed record IssuedCertificate(string IssuerName, string SerialNumber, string Profile, byte[] Der);

/// <summary>Issues end-entity certificates from a profile in pki/hierarchy.json and records them in the registry.</summary>
public sealed class CertificateIssuer
{
    private readonly HubDbContext _db;
    private readonly PkiKeyring _keyring;
    private readonly TimeProvider _time;
    private readonly ProfileTemplates _templates;
    private readonly AuditLog _audit;

    public CertificateIssuer(HubDbContext db, PkiKeyring keyring, TimeProvider time, HierarchyProvider hierarchy, IOptions<PkiOptions> options, AuditLog audit)
    {
        _audit = audit;
        _db = db;
        _keyring = keyring;
        _time = time;
        _templates = new ProfileTemplates(hierarchy.Definition, options.Value.PublicBaseUrl);
    }

    /// <param name="profileName">A profile of pki/hierarchy.json with an issuer.</param>
    /// <param name="subject">The subject distinguished name.</param>
    /// <param name="publicKey">DER SubjectPublicKeyInfo of the key the certificate certifies.</param>
    /// <param name="actor">Who asked for it, for the audit log.</param>
    public async Task<IssuedCertificate> IssueAsync(string profileName, X509Name subject, byte[] publicKey, CancellationToken cancellationToken, string actor = "system")
    {
        var issued = await SignAsync(profileName, subject, publicKey, cancellationToken);

        // Joins the caller's transaction when there is one, so a certificate is in the registry exactly when what it
        // belongs to is.
        var ownTransaction = _db.Database.CurrentTransaction is null ? await _db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var auditEvent = Record(issued, actor);
            await _db.SaveChangesAsync(cancellationToken);
            await _audit.AppendAsync(auditEvent, cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }

        return issued;
    }

    /// <summary>
    /// Builds and signs a certificate with the issuing CA's HSM key and records nothing: the caller records it with
    /// <see cref="Record"/> in its own transaction, or drops it (a certificate never recorded is unknown to OCSP and on no
    /// CRL). Signing outside the transaction keeps the HSM's time out of the database's locks.
    /// </summary>
    public async Task<IssuedCertificate> SignAsync(string profileName, X509Name subject, byte[] publicKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (!_templates.Hierarchy.Profiles.TryGetValue(profileName, out var profile) || profile.Issuer is null)
        {
            throw new ArgumentException($"Profile '{profileName}' does not exist in pki/hierarchy.json or names no issuer.", nameof(profileName));
        }

        var keyring = await _keyring.GetAsync(cancellationToken);
        var ca = keyring.Authority(profile.Issuer);
        var now = PkiClock.Now(_time);
        var template = _templates.ForProfile(profile, ca.Name, subject, SubjectPublicKeyInfo.GetInstance(publicKey), now);
        template = template with { NotAfter = ProfileTemplates.ClampToIssuer(template.NotAfter, ca.Certificate) };
        var certificate = CertificateBuilder.Build(template, ca.Certificate, ca.Signer);
        PkiMetrics.CertificatesIssued.Add(1, new KeyValuePair<string, object?>("profile", profileName));
        return new IssuedCertificate(ca.Name, SerialNumbers.ToHex(certificate.SerialNumber), profileName, certificate.GetEncoded());
    }

    /// <summary>Adds a signed certificate to the registry (saved with the caller's next SaveChanges) and returns its audit event to append.</summary>
    public AuditEvent Record(IssuedCertificate issued, string actor)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var certificate = new Org.BouncyCastle.X509.X509Certificate(issued.Der);
        CertificateRegistry.Record(_db, issued.IssuerName, issued.Profile, certificate, new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero));
        return new AuditEvent("pki.certificate.issued", actor, $"{issued.IssuerName}/{issued.SerialNumber}",
            new Dictionary<string, string> { ["profile"] = issued.Profile, ["subject"] = certificate.SubjectDN.ToString() });
    }
}
