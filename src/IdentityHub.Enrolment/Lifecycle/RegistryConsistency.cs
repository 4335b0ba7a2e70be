using IdentityHub.Data;
using IdentityHub.Data.Pki;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Issuance;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Enrolment.Lifecycle;

public sealed record ConsistencyReport(int Eids, int Certificates, IReadOnlyList<string> Problems);

/// <summary>
/// What `hubctl eid check` reports. Issuance and lifecycle steps are single transactions, so none of these should ever
/// appear; the check exists to prove it after a crash or a restore, and names each problem with what to do.
/// Citizen keys never become token objects (they are session objects destroyed within the call that made them), so
/// there are no orphan keys in the HSM to clean: a key exists only as a wrapped blob in a committed eid_keys row.
/// </summary>
public sealed class RegistryConsistency(HubDbContext db)
{
    private static readonly string[] CitizenProfiles = [CitizenCredentials.AuthenticationProfile, CitizenCredentials.SignatureProfile];

    public async Task<ConsistencyReport> CheckAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var eids = await db.Eids.AsNoTracking().ToListAsync(ct);
        var keys = await db.EidKeys.AsNoTracking().ToListAsync(ct);
        var certificates = await db.IssuedCertificates.AsNoTracking().Where(c => CitizenProfiles.Contains(c.Profile))
            .Select(c => new { c.IssuerName, c.SerialNumber, c.Status, c.RevocationReason }).ToListAsync(ct);
        var bySerial = certificates.ToDictionary(c => (c.IssuerName, c.SerialNumber));

        foreach (var eid in eids)
        {
            var current = keys.Where(k => k.EidId == eid.Id && k.RetiredAt == null).ToList();
            if (eid.Status != EidStatus.Revoked && current.Count != 2)
            {
                problems.Add($"eid {eid.DocumentNumber}: {current.Count} current key(s), expected 2 (revoke and replace it)");
            }

            foreach (var key in current)
            {
                if (!bySerial.TryGetValue((key.CertificateIssuer, key.CertificateSerial), out var certificate))
                {
                    problems.Add($"eid {eid.DocumentNumber}: certificate {key.CertificateIssuer}/{key.CertificateSerial} missing from the PKI registry");
                    continue;
                }

                var expected = eid.Status switch
                {
                    EidStatus.Active => certificate.Status == CertificateStatus.Good,
                    EidStatus.Suspended => certificate.Status == CertificateStatus.Revoked && certificate.RevocationReason == 6,
                    _ => certificate.Status == CertificateStatus.Revoked && certificate.RevocationReason != 6,
                };
                if (!expected)
                {
                    problems.Add($"eid {eid.DocumentNumber} is {eid.Status.ToString().ToLowerInvariant()} but certificate {key.CertificateIssuer}/{key.CertificateSerial} is {certificate.Status.ToString().ToLowerInvariant()}");
                }
            }
        }

        var referenced = keys.Select(k => (k.CertificateIssuer, k.CertificateSerial)).ToHashSet();
        foreach (var orphan in certificates.Where(c => !referenced.Contains((c.IssuerName, c.SerialNumber))))
        {
            problems.Add($"certificate {orphan.IssuerName}/{orphan.SerialNumber} belongs to no eID"
                + (orphan.Status == CertificateStatus.Good ? " and is good: revoke it (hubctl pki revoke)" : string.Empty));
        }

        return new ConsistencyReport(eids.Count, certificates.Count, problems);
    }
}
