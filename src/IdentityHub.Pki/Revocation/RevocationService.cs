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
    /// <param name="reason">RFC 5280 reason; certificateHold suspends (see <see cref="SuspendAsync"/>).</param>
    /// <param name="issuerName">The issuing CA, when the caller knows it.</param>
    /// <param name="actor">Who revokes, for the audit log.</param>
    /// <remarks>
    /// Revoking a certificate on hold makes the revocation final with the new reason and keeps the time of the hold as
    /// the revocation time (RFC 5280 §5.3.1): it has not been valid since then, and validators that saw the hold agree.
    /// </remarks>
    public Task<RevocationOutcome> RevokeAsync(string serialNumber, RevocationReason reason, string? issuerName, CancellationToken cancellationToken, string actor = "system")
    {
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not an RFC 5280 revocation reason.");
        }

        return ChangeAsync(serialNumber, issuerName, actor, "pki.certificate.revoked", reason, (certificate, now) =>
        {
            if (certificate.Status == CertificateStatus.Revoked && (certificate.RevocationReason != (int)RevocationReason.CertificateHold || reason == RevocationReason.CertificateHold))
            {
                return false;
            }

            certificate.RevokedAt ??= now;
            certificate.Status = CertificateStatus.Revoked;
            certificate.RevocationReason = (int)reason;
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Puts a certificate on hold (RFC 5280 reason certificateHold): OCSP answers revoked/certificateHold and the CRL lists
    /// it until <see cref="ResumeAsync"/> releases it. Suspending a certificate already on hold changes nothing.
    /// </summary>
    public Task<RevocationOutcome> SuspendAsync(string serialNumber, string? issuerName, CancellationToken cancellationToken, string actor = "system") =>
        ChangeAsync(serialNumber, issuerName, actor, "pki.certificate.suspended", RevocationReason.CertificateHold, (certificate, now) =>
        {
            if (IsOnHold(certificate))
            {
                return false;
            }

            if (certificate.Status == CertificateStatus.Revoked)
            {
                throw new CertificateStateException($"Certificate {certificate.IssuerName}/{certificate.SerialNumber} is revoked for good; it cannot be suspended.");
            }

            certificate.Status = CertificateStatus.Revoked;
            certificate.RevokedAt = now;
            certificate.RevocationReason = (int)RevocationReason.CertificateHold;
            return true;
        }, cancellationToken);

    /// <summary>
    /// Releases a hold: the certificate is good again in OCSP at once and absent from the next CRL, which the same
    /// transaction signs (the hub signs full CRLs; removeFromCRL belongs to delta CRLs, RFC 5280 §5.3.1).
    /// </summary>
    public Task<RevocationOutcome> ResumeAsync(string serialNumber, string? issuerName, CancellationToken cancellationToken, string actor = "system") =>
        ChangeAsync(serialNumber, issuerName, actor, "pki.certificate.resumed", RevocationReason.Unspecified, (certificate, _) =>
        {
            if (!IsOnHold(certificate))
            {
                throw new CertificateStateException(certificate.Status == CertificateStatus.Good
                    ? $"Certificate {certificate.IssuerName}/{certificate.SerialNumber} is not on hold."
                    : $"Certificate {certificate.IssuerName}/{certificate.SerialNumber} is revoked for good; it cannot be resumed.");
            }

            certificate.Status = CertificateStatus.Good;
            certificate.RevokedAt = null;
            certificate.RevocationReason = null;
            return true;
        }, cancellationToken);

    private static bool IsOnHold(IssuedCertificateRecord certificate) =>
        certificate.Status == CertificateStatus.Revoked && certificate.RevocationReason == (int)RevocationReason.CertificateHold;

    /// <summary>
    /// Locks the CA, applies <paramref name="change"/> (false = nothing to do), re-signs the CRL and audits, in the
    /// caller's transaction when there is one, else in its own.
    /// </summary>
    private async Task<RevocationOutcome> ChangeAsync(string serialNumber, string? issuerName, string actor, string auditType, RevocationReason reason,
        Func<IssuedCertificateRecord, DateTimeOffset, bool> change, CancellationToken cancellationToken)
    {
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

        async Task<RevocationOutcome> Body(CancellationToken ct)
        {
            var ca = await _crls.LockAuthorityAsync(issuers[0], ct);
            var certificate = await _db.IssuedCertificates.SingleAsync(c => c.IssuerName == ca.Name && c.SerialNumber == serial, ct);
            var now = new DateTimeOffset(PkiClock.Now(_time), TimeSpan.Zero);
            if (!change(certificate, now))
            {
                return new RevocationOutcome(ca.Name, serial, true, certificate.RevokedAt ?? now, (RevocationReason)(certificate.RevocationReason ?? 0));
            }

            await _db.SaveChangesAsync(ct);
            await _crls.ResignLockedAsync(ca, ct);
            await _audit.AppendAsync(new AuditEvent(auditType, actor, $"{ca.Name}/{serial}",
                new Dictionary<string, string> { ["reason"] = reason.ToString(), ["subject"] = certificate.SubjectDn }), ct);
            PkiMetrics.CertificatesRevoked.Add(1, new KeyValuePair<string, object?>("reason", auditType == "pki.certificate.resumed" ? "resumed" : reason.ToString()));
            PkiLog.CertificateRevoked(_log, ca.Name, serial, reason);
            return new RevocationOutcome(ca.Name, serial, false, certificate.RevokedAt ?? now, reason);
        }

        if (_db.Database.CurrentTransaction is not null)
        {
            return await Body(cancellationToken);
        }

        var strategy = _db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await _db.Database.BeginTransactionAsync(ct);
            var outcome = await Body(ct);
            await tx.CommitAsync(ct);
            return outcome;
        }, cancellationToken);
    }
}

/// <summary>A status change that does not fit the certificate's state (resuming one that is not on hold, suspending a revoked one).</summary>
public sealed class CertificateStateException : Exception
{
    public CertificateStateException()
    {
    }

    public CertificateStateException(string message)
        : base(message)
    {
    }

    public CertificateStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
