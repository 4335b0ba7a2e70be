using IdentityHub.Pki.Authorities;
using IdentityHub.Signing.TimeStamps;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Xades;

/// <summary>
/// The certificate path of the TSA that signed a time-stamp token: its certificate (carried in the token, RFC 3161
/// §2.4.1 certReq) and the issuers up to a self-signed root, completed from the hub's CAs. B-LT embeds this path and
/// its revocation data so the time-stamp can be validated offline (EN 319 132-1 §5.4).
/// </summary>
internal sealed class TimeStampPaths(PkiKeyring keyring)
{
    public async Task<IReadOnlyList<byte[]>> PathOfAsync(byte[] token, CancellationToken cancellationToken)
    {
        var parsed = new TimeStampToken(new Org.BouncyCastle.Cms.CmsSignedData(token));
        var carried = parsed.GetCertificates().EnumerateMatches(null).ToList();
        var known = carried.Concat((await keyring.AuthoritiesAsync(cancellationToken)).Values.Select(der => new X509Certificate(der))).ToList();
        var current = carried.FirstOrDefault(c => parsed.SignerID.Match(c))
            ?? throw new TimeStampUnavailableException("The time-stamp token does not carry its TSA certificate.");
        var path = new List<X509Certificate> { current };
        while (!current.IssuerDN.Equivalent(current.SubjectDN) && path.Count < 10)
        {
            var issuer = known.FirstOrDefault(c => c.SubjectDN.Equivalent(current.IssuerDN))
                ?? throw new TimeStampUnavailableException($"The issuer of the TSA certificate '{current.SubjectDN}' is unknown.");
            path.Add(issuer);
            current = issuer;
        }

        return [.. path.Select(c => c.GetEncoded())];
    }
}
