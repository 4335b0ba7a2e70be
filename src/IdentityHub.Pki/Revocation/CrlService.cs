using IdentityHub.Data;
using IdentityHub.Data.Pki;
using IdentityHub.Pki.Authorities;
using IdentityHub.Pki.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace IdentityHub.Pki;

/// <summary>
/// RFC 5280 §5 CRLs, one per CA. The current CRL is kept in the CA's row; it is re-signed inside the transaction of
/// every revocation and whenever less than half of its validity remains. The CA row lock serialises CRL numbers across nodes.
/// </summary>
public sealed class CrlService
{
    private readonly HubDbContext _db;
    private readonly PkiKeyring _keyring;
    private readonly TimeProvider _time;
    private readonly PkiOptions _options;

    public CrlService(HubDbContext db, PkiKeyring keyring, TimeProvider time, IOptions<PkiOptions> options)
    {
        _db = db;
        _keyring = keyring;
        _time = time;
        _options = options.Value;
    }

    /// <summary>The CA's current CRL (DER), re-signed first if it is stale; null for an unknown CA.</summary>
    public async Task<byte[]?> GetCurrentAsync(string caName, CancellationToken cancellationToken)
    {
        var row = await _db.CertificateAuthorities.AsNoTracking()
            .Where(c => c.Name == caName)
            .Select(c => new { c.CrlDer, c.CrlThisUpdate, c.CrlNextUpdate })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.CrlDer is not null && !IsStale(row.CrlThisUpdate, row.CrlNextUpdate))
        {
            return row.CrlDer;
        }

        var strategy = _db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await _db.Database.BeginTransactionAsync(ct);
            var ca = await LockAuthorityAsync(caName, ct);
            if (ca.CrlDer is not null && !IsStale(ca.CrlThisUpdate, ca.CrlNextUpdate))
            {
                return ca.CrlDer; // another node re-signed it while we waited for the lock
            }

            var crl = await ResignLockedAsync(ca, ct);
            await tx.CommitAsync(ct);
            return crl;
        }, cancellationToken);
    }

    /// <summary>Locks the CA row for the rest of the current transaction (SELECT … FOR UPDATE).</summary>
    internal Task<CertificateAuthorityRecord> LockAuthorityAsync(string caName, CancellationToken cancellationToken) =>
        _db.CertificateAuthorities
            .FromSql($"SELECT * FROM pki.certificate_authorities WHERE \"Name\" = {caName} FOR UPDATE")
            .SingleAsync(cancellationToken);

    /// <summary>Signs a new CRL for a CA whose row the caller has locked, and stores it (caller commits).</summary>
    internal async Task<byte[]> ResignLockedAsync(CertificateAuthorityRecord ca, CancellationToken cancellationToken)
    {
        var authority = (await _keyring.GetAsync(cancellationToken)).Authority(ca.Name);
        var now = PkiClock.Now(_time);
        var revoked = await _db.IssuedCertificates.AsNoTracking()
            .Where(c => c.IssuerName == ca.Name && c.Status == CertificateStatus.Revoked && c.NotAfter > now)
            .OrderBy(c => c.Id)
            .Select(c => new { c.SerialNumber, c.RevokedAt, c.RevocationReason })
            .ToListAsync(cancellationToken);

        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(authority.Certificate.SubjectDN);
        generator.SetThisUpdate(now);
        generator.SetNextUpdate(now + _options.CrlValidity);
        foreach (var entry in revoked)
        {
            // §5.3.1: reasonCode is omitted for "unspecified"; BouncyCastle adds it for every other reason.
            generator.AddCrlEntry(new BigInteger(entry.SerialNumber, 16), entry.RevokedAt!.Value.UtcDateTime, entry.RevocationReason ?? 0);
        }

        ca.CrlNumber += 1;
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(authority.SubjectKeyId));
        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(ca.CrlNumber)));
        var crl = generator.Generate(authority.Signer).GetEncoded();

        ca.CrlDer = crl;
        ca.CrlThisUpdate = new DateTimeOffset(now, TimeSpan.Zero);
        ca.CrlNextUpdate = new DateTimeOffset(now + _options.CrlValidity, TimeSpan.Zero);
        await _db.SaveChangesAsync(cancellationToken);
        PkiMetrics.CrlsSigned.Add(1, new KeyValuePair<string, object?>("ca", ca.Name));
        return crl;
    }

    private bool IsStale(DateTimeOffset? thisUpdate, DateTimeOffset? nextUpdate)
    {
        if (thisUpdate is null || nextUpdate is null)
        {
            return true;
        }

        var halfLife = thisUpdate.Value + ((nextUpdate.Value - thisUpdate.Value) / 2);
        return _time.GetUtcNow() >= halfLife;
    }
}
