using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Pki;
using IdentityHub.Pki.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Pki;

/// <summary>RFC 5280 §5.3.1 reason codes (7 is unused; removeFromCRL(8) belongs to delta CRLs and is not an operator choice).</summary>
public enum RevocationReason
{
    Unspecified = 0,
    KeyCompromise = 1,
    CaCompromise = 2,
    AffiliationChanged = 3,
    Superseded = 4,
    CessationOfOperation = 5,
    CertificateHold = 6,
    PrivilegeWithdrawn = 9,
    AaCompromise = 10,
}

public sealed record RevocationOutcome(string IssuerName, string SerialNumber, bool AlreadyRevoked, DateTimeOffset RevokedAt, RevocationReason Reason);

/// <summary>The certificate named is not in the registry (or not under the CA named).</summary>
public sealed class CertificateNotFoundException : Exception
{
    public CertificateNotFoundException()
    {
    }

    public CertificateNotFoundException(string message)
        : base(message)
    {
    }

    public CertificateNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Revokes a certificate and re-signs its CA's CRL in the same transaction, so CRL and OCSP (which reads the
/// registry per request) show the revocation as soon as the call returns.
/// </summary>
public sealed class RevocationService
{
    private readonly HubDbContext _db;
    private readonly CrlService _crls;
    private readonly TimeProvider _time;
    private readonly ILogger<RevocationService> _log;
    private readonly AuditLog _audit;

    public RevocationService(HubDbContext db, CrlService crls, TimeProvider time, ILogger<RevocationService> log, AuditLog audit)
    {
        _audit = audit;
        _db = db;
        _crls = crls;
        _time = time;
        _log = log;
    }

    /// <param name="serialNumber">Hexadecimal serial (colons, spaces and 0x are accepted).</param>
    /// <param name="reason">RFC 5280 reason.</param>
    /// <param name="issuerName">The issuing CA, when the caller knows it.</param>
    /// <param name="actor">Who revokes, for the audit log.</param>
    public async Task<RevocationOutcome> RevokeAsync(string serialNumber, RevocationReason reason, string? issuerName, CancellationToken cancellationToken, string actor = "system")
    {
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not an RFC 5280 revocation reason.");
        }

        var serial = SerialNumbers.Normalise(serialNumber);
        var issuers = await _db.IssuedCertificates.AsNoTracking()
            .Where(c => c.SerialNumber == serial && (issuerName == null || c.IssuerName == issuerName))
            .Select(c => c.IssuerName)
            .ToListAsync(cancellationToken);
        if (issuers.Count == 0)
        {
            throw new CertificateNotFoundException(issuerName is null
                ? $"No certificate with serial {serial} was issued by this hub."
                : $"CA '{issuerName}' issued no certificate with serial {serial}.");
        }

        if (issuers.Count > 1)
        {
            throw new ArgumentException($"Serial {serial} exists under several CAs ({string.Join(", ", issuers)}): name the CA.", nameof(issuerName));
        }

        var strategy = _db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await _db.Database.BeginTransactionAsync(ct);
            var ca = await _crls.LockAuthorityAsync(issuers[0], ct);
            var certificate = await _db.IssuedCertificates.SingleAsync(c => c.IssuerName == ca.Name && c.SerialNumber == serial, ct);
            if (certificate.Status == CertificateStatus.Revoked)
            {
                return new RevocationOutcome(ca.Name, serial, true, certificate.RevokedAt!.Value, (RevocationReason)(certificate.RevocationReason ?? 0));
            }

            var now = new DateTimeOffset(PkiClock.Now(_time), TimeSpan.Zero);
            certificate.Status = CertificateStatus.Revoked;
            certificate.RevokedAt = now;
            certificate.RevocationReason = (int)reason;
            await _db.SaveChangesAsync(ct);
            await _crls.ResignLockedAsync(ca, ct);
            await _audit.AppendAsync(new AuditEvent("pki.certificate.revoked", actor, $"{ca.Name}/{serial}",
                new Dictionary<string, string> { ["reason"] = reason.ToString(), ["subject"] = certificate.SubjectDn }), ct);
            await tx.CommitAsync(ct);

            PkiMetrics.CertificatesRevoked.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));
            PkiLog.CertificateRevoked(_log, ca.Name, serial, reason);
            return new RevocationOutcome(ca.Name, serial, false, now, reason);
        }, cancellationToken);
    }
}
