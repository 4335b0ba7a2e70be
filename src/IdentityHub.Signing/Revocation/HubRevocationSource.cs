using IdentityHub.Pki;
using IdentityHub.Pki.Authorities;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Revocation;

/// <summary>
/// Revocation data from the hub's own OCSP responders and CRLs, asked in process (the same answers GET /pki/ocsp and
/// /pki/crl give). Certificates the hub's CAs did not issue are refused: the signing service only signs with hub keys
/// and stamps with the hub's TSA.
/// </summary>
internal sealed class HubRevocationSource(IServiceScopeFactory scopes, PkiKeyring keyring) : IRevocationSource
{
    public async Task<RevocationData> CollectAsync(IReadOnlyList<byte[]> path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var authorities = (await keyring.AuthoritiesAsync(cancellationToken))
            .Select(a => (Name: a.Key, Certificate: new X509Certificate(a.Value)))
            .ToList();
        await using var scope = scopes.CreateAsyncScope();
        var ocsp = scope.ServiceProvider.GetRequiredService<OcspResponder>();
        var crls = scope.ServiceProvider.GetRequiredService<CrlService>();
        var responses = new List<byte[]>();
        var lists = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var der in path)
        {
            var certificate = new X509Certificate(der);
            if (certificate.IssuerDN.Equivalent(certificate.SubjectDN))
            {
                continue; // a trust anchor is trusted by configuration, not by revocation data (RFC 5280 §6.1)
            }

            var issuer = authorities.FirstOrDefault(a => a.Certificate.SubjectDN.Equivalent(certificate.IssuerDN));
            if (issuer.Name is null)
            {
                throw new InvalidOperationException($"'{certificate.SubjectDN}' was not issued by a hub CA; the hub has no revocation data for it.");
            }

            var generator = new OcspReqGenerator();
            generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer.Certificate, certificate.SerialNumber));
            var answer = new OcspResp(await ocsp.RespondAsync(generator.Generate().GetEncoded(), cancellationToken));
            if (answer.Status == OcspRespStatus.Successful)
            {
                responses.Add(answer.GetEncoded());
            }

            if (!lists.ContainsKey(issuer.Name) && await crls.GetCurrentAsync(issuer.Name, cancellationToken) is { } crl)
            {
                lists[issuer.Name] = crl;
            }
        }

        return new RevocationData(responses, [.. lists.Values]);
    }
}
