using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Pki;

/// <summary>Settings of the PKI services (configuration section "Pki").</summary>
public sealed class PkiOptions
{
    public const string SectionName = "Pki";

    /// <summary>The CA hierarchy and profiles (pki/hierarchy.json). Relative paths resolve against the working directory, then the application directory.</summary>
    [Required]
    public string HierarchyFile { get; set; } = "pki/hierarchy.json";

    /// <summary>
    /// Base URL relying parties use to reach the hub; written into every certificate's CRL distribution point
    /// and authority information access (RFC 5280 §4.2.1.13, §4.2.2.1). Changing it later does not change issued certificates.
    /// </summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How long a CRL is valid (nextUpdate - thisUpdate). A CRL is re-signed when less than half of it remains, and at once on every revocation.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan CrlValidity { get; set; } = TimeSpan.FromHours(24);

    /// <summary>nextUpdate of OCSP responses (RFC 6960 §2.4). Responses are produced per request, so revocation is visible at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan OcspValidity { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Most CertIDs one OCSP request may ask about; a request with more is answered <c>malformedRequest</c>. Each CertID
    /// costs a registry lookup, so without a cap one small request could make the hub do thousands of them.
    /// </summary>
    [Range(1, 1000)]
    public int OcspMaxCertIds { get; set; } = 10;

    /// <summary>How long CA and responder certificates are kept in memory before being re-read from the database.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeyringRefresh { get; set; } = TimeSpan.FromMinutes(1);

    [Required]
    public TsaOptions Tsa { get; set; } = new();

    [Required]
    public PkiRateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>
/// Requests per client address per minute on the public OCSP and TSA endpoints (section Pki:RateLimits); over the
/// limit the answer is HTTP 429 with Retry-After. Every answer costs an HSM signature. Kept in each node's memory:
/// behind N nodes an address gets up to N times the limit.
/// </summary>
public sealed class PkiRateLimitOptions
{
    /// <summary>OCSP requests (GET and POST) per address per minute.</summary>
    public int OcspPerMinute { get; set; } = 600;

    /// <summary>Time-stamp requests per address per minute.</summary>
    public int TsaPerMinute { get; set; } = 120;
}

/// <summary>RFC 3161 time-stamping unit settings.</summary>
public sealed class TsaOptions
{
    /// <summary>
    /// The TSA policy OID put in every token (RFC 3161 §2.4.2). The default is under the ITU-T example arc 2.999:
    /// a production TSA sets the OID from its own policy document (ETSI EN 319 421).
    /// </summary>
    [Required]
    [RegularExpression(@"^[0-2](\.(0|[1-9][0-9]*))+$")]
    public string PolicyOid { get; set; } = "2.999.3161.1";

    /// <summary>Accuracy of genTime in milliseconds (RFC 3161 §2.4.2 accuracy).</summary>
    [Range(1, 60_000)]
    public int AccuracyMillis { get; set; } = 1000;
}
