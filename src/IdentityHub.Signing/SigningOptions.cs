using System.ComponentModel.DataAnnotations;

namespace IdentityHub.Signing;

/// <summary>Settings of the signing and validation service (configuration section "Signing").</summary>
public sealed class SigningOptions
{
    public const string SectionName = "Signing";

    /// <summary>Largest document accepted for signing or validation, in bytes (default 25 MiB).</summary>
    [Range(1024, 1L << 31)]
    public long MaxDocumentBytes { get; set; } = 25L << 20;

    /// <summary>
    /// Most documents one signature activation may cover. The issue and CEN EN 419 241-1 SCAL2 allow a batch when the
    /// citizen is shown every document; 100 keeps the confirmation page readable.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatchDocuments { get; set; } = 100;

    /// <summary>How long a signature activation stays usable after the citizen proved the second factor (SCAL2: minutes, once).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:30:00")]
    public TimeSpan ActivationLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a prepared signing request (documents uploaded, not yet activated) is kept before it is deleted.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan PendingRequestLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a signed result stays available for download (by the citizen, or by the agency that asked) when the
    /// citizen did not ask the hub to keep it. The originals are deleted at signing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SignedDocumentLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Uploads per address per minute to the public verify page.</summary>
    [Range(1, 10_000)]
    public int VerifyPerMinute { get; set; } = 30;

    /// <summary>How long signed documents are kept when the citizen asks the hub to keep them (never without asking).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan KeptDocumentLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Extra trust anchors for the validation service, PEM or DER files (relative paths resolve against the working
    /// directory). The hub's own roots are always trusted.
    /// </summary>
    public IList<string> TrustAnchorFiles { get; init; } = [];

    /// <summary>Most entries an ASiC container may hold; more is refused as a zip bomb.</summary>
    [Range(1, 100_000)]
    public int MaxContainerEntries { get; set; } = 1000;

    /// <summary>Most bytes an ASiC container may expand to, all entries together; more is refused as a zip bomb.</summary>
    [Range(1024, 1L << 34)]
    public long MaxContainerExpandedBytes { get; set; } = 256L << 20;

    /// <summary>Largest compression ratio of one entry (expanded / stored); more is refused as a zip bomb.</summary>
    [Range(1, 100_000)]
    public int MaxCompressionRatio { get; set; } = 200;
}
