using System.Buffers.Text;
using System.Text;
using IdentityHub.Hsm.Tokens;

namespace IdentityHub.Authentication.Agencies;

/// <summary>
/// Pairwise subject identifiers (OpenID Connect Core §8.1): sub = base64url(HMAC-SHA-256(key, sector ‖ national id)),
/// with the key a non-extractable secret in the HSM. The same citizen gets the same sub at every client of one sector
/// and unrelated ones across sectors; nothing per agency is stored, and a database dump alone cannot link them or
/// recompute them. Never rotate the key: every agency's subjects would change. The OpenID provider's pairwise sub and
/// the SAML IdP's persistent NameID of one sector are the same value.
/// </summary>
public sealed class PairwiseSubjects(TokenHmac hmac)
{
    public const string KeyLabel = "pairwise-subjects";

    public string SubjectFor(string sector, string nationalId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sector);
        ArgumentException.ThrowIfNullOrEmpty(nationalId);
        var input = Encoding.UTF8.GetBytes(sector.ToLowerInvariant() + "\n" + nationalId);
        return Base64Url.EncodeToString(hmac.Compute(input));
    }
}
