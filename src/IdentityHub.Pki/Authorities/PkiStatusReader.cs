using IdentityHub.Data;
using IdentityHub.Data.Pki;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Pki.Authorities;

public sealed record AuthorityStatus(string Name, string? IssuerName, string Subject, string KeyId, string KeyAlgorithm, DateTimeOffset NotAfter,
    int Issued, int Revoked, long CrlNumber, DateTimeOffset? CrlNextUpdate);

public sealed record CredentialStatus(string Purpose, string IssuerName, string SerialNumber, string KeyId, string KeyAlgorithm, DateTimeOffset NotAfter);

public sealed record PkiStatusReport(IReadOnlyList<AuthorityStatus> Authorities, IReadOnlyList<CredentialStatus> Credentials);

/// <summary>What `hubctl pki status` prints.</summary>
public sealed class PkiStatusReader(HubDbContext db)
{
    public async Task<PkiStatusReport> ReadAsync(CancellationToken cancellationToken)
    {
        var counts = await db.IssuedCertificates.AsNoTracking()
            .GroupBy(c => new { c.IssuerName, c.Status })
            .Select(g => new { g.Key.IssuerName, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Count(string ca, CertificateStatus status) => counts.Where(c => c.IssuerName == ca && c.Status == status).Sum(c => c.Count);

        var authorities = (await db.CertificateAuthorities.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken))
            .Select(c => new AuthorityStatus(c.Name, c.IssuerName, c.SubjectDn, c.KeyId, c.KeyAlgorithm, c.NotAfter,
                Count(c.Name, CertificateStatus.Good) + Count(c.Name, CertificateStatus.Revoked), Count(c.Name, CertificateStatus.Revoked),
                c.CrlNumber, c.CrlNextUpdate))
            .ToList();
        var credentials = await db.ServiceCredentials.AsNoTracking().OrderBy(c => c.Purpose)
            .Select(c => new CredentialStatus(c.Purpose, c.IssuerName, c.SerialNumber, c.KeyId, c.KeyAlgorithm, c.NotAfter))
            .ToListAsync(cancellationToken);
        return new PkiStatusReport(authorities, credentials);
    }
}
