using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// Reads an RFC 3161 time-stamp token and compares its message imprint (§2.4.2) with the data it should cover. The token's
/// own signature and its TSA's chain are the assessor's to judge; only the imprint belongs to the signature format.
/// </summary>
internal static class TimeStampTokens
{
    public static TimestampEvidence Evaluate(byte[] token, ReadOnlySpan<byte> coveredData, string? problemIfMismatch = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        TimeStampToken? parsed = TryParse(token, out string? problem);
        if (parsed is null)
        {
            return new TimestampEvidence(token, false, problem);
        }

        byte[] digest;
        try
        {
            digest = DigestUtilities.CalculateDigest(parsed.TimeStampInfo.MessageImprintAlgOid, coveredData.ToArray());
        }
        catch (SecurityUtilityException)
        {
            return new TimestampEvidence(token, false, $"unsupported imprint algorithm {parsed.TimeStampInfo.MessageImprintAlgOid}");
        }

        bool matches = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(digest, parsed.TimeStampInfo.GetMessageImprintDigest());
        return new TimestampEvidence(token, matches, matches ? null : problemIfMismatch ?? "message imprint does not match");
    }

    /// <summary>The certificates a token carries (its TSA's chain), DER.</summary>
    public static IEnumerable<byte[]> Certificates(byte[] token)
    {
        TimeStampToken? parsed = TryParse(token, out _);
        return parsed is null ? [] : parsed.GetCertificates().EnumerateMatches(null).Select(c => c.GetEncoded());
    }

    public static TimeStampToken? TryParse(byte[] token, out string? problem)
    {
        problem = null;
        try
        {
            return new TimeStampToken(new CmsSignedData(token));
        }
        catch (Exception ex) when (ex is CmsException or TspException or IOException or ArgumentException or InvalidCastException or InvalidOperationException)
        {
            problem = "not an RFC 3161 time-stamp token";
            return null;
        }
    }
}
