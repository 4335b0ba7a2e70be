using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation.Cades;
using IdentityHub.Signing.Validation.Chains;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation.TimeStamping;

/// <summary>A time-stamp after validation: technically good (imprint and TSA signature), and trusted (TSA chain to an anchor).</summary>
internal sealed record VerifiedTimestamp(TimestampReport Report, DateTimeOffset GenerationTime, bool Good, bool Trusted, IReadOnlyList<X509Certificate> Certificates, X509Certificate? Tsa = null)
{
    /// <summary>A proof of existence (EN 319 102-1 §5.2.8 / §5.6.2.3) needs both.</summary>
    public bool ProvesExistence => Good && Trusted;
}

/// <summary>
/// Validates an RFC 3161 time-stamp token (EN 319 102-1 §5.4 time-stamp validation building block): its message
/// imprint (checked by the reader), the TSA's CMS signature with the ESS signing-certificate binding and the
/// critical id-kp-timeStamping key purpose (RFC 3161 §2.3, checked by BouncyCastle's Validate), the TSA certificate
/// valid at genTime, and a path from the TSA certificate to a trust anchor.
/// </summary>
internal static class TimestampVerifier
{
    public static VerifiedTimestamp Verify(string kind, TimestampEvidence evidence, IReadOnlyList<X509Certificate> pool, IReadOnlyList<X509Certificate> anchors)
    {
        TimeStampToken token;
        try
        {
            BerGuard.CheckedLength(evidence.Token);
            token = new TimeStampToken(new CmsSignedData(evidence.Token));
        }
        catch (Exception ex) when (ex is TspException or CmsException or ArgumentException or InvalidCastException or IOException or DocumentRejectedException)
        {
            return new VerifiedTimestamp(new TimestampReport(kind, DateTimeOffset.MinValue, null, false, false, false), DateTimeOffset.MinValue, false, false, []);
        }

        var generationTime = new DateTimeOffset(token.TimeStampInfo.GenTime, TimeSpan.Zero);
        var carried = token.GetCertificates().EnumerateMatches(null).ToList();
        var tsa = carried.Concat(pool).FirstOrDefault(c => token.SignerID.Match(c));
        var signatureIntact = false;
        var trusted = false;
        if (tsa is not null)
        {
            try
            {
                token.Validate(tsa);
                signatureIntact = true;
            }
            catch (Exception ex) when (ex is TspException or TspValidationException or CmsException or ArgumentException)
            {
                signatureIntact = false;
            }

            trusted = signatureIntact && CertificatePathBuilder.Build(tsa, [.. carried, .. pool], anchors).Trusted;
        }

        var good = evidence.ImprintMatches && signatureIntact;
        var report = new TimestampReport(kind, generationTime, tsa?.SubjectDN.ToString() ?? token.TimeStampInfo.Tsa?.ToString(), evidence.ImprintMatches, signatureIntact, trusted);
        return new VerifiedTimestamp(report, generationTime, good, trusted, carried, tsa);
    }
}
