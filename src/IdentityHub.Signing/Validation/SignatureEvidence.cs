namespace IdentityHub.Signing.Validation;

/// <summary>
/// What a format reader (PAdES, CAdES, XAdES, ASiC) found in one signature, before any judgement on trust, time or
/// revocation. Readers check only what their format defines (digests, signature value, the signing-certificate
/// reference); the assessor turns this evidence into a <see cref="SignatureReport"/> the same way
/// for every format (ETSI EN 319 102-1 §5.2 building blocks: identification of the signing certificate, X.509
/// validation, cryptographic verification, time-stamp and revocation processing).
/// </summary>
public sealed record SignatureEvidence
{
    public required string Id { get; init; }

    public required SignatureFormat Format { get; init; }

    /// <summary>The level the signature's elements claim, from the reader (before the assessor checks they hold).</summary>
    public required SignatureLevel ClaimedLevel { get; init; }

    /// <summary>Set when the structure is broken beyond reading: the assessor answers TOTAL-FAILED / FORMAT_FAILURE.</summary>
    public string? FormatProblem { get; init; }

    /// <summary>The signer's certificate (DER), identified by the signature's own reference; null when none matched.</summary>
    public byte[]? SigningCertificate { get; init; }

    /// <summary>
    /// Whether the signed signing-certificate reference (CMS signing-certificate(-v2), XAdES SigningCertificate(V2)) is
    /// present and matches <see cref="SigningCertificate"/>; null when the format has none (e.g. adbe.pkcs7.detached).
    /// </summary>
    public bool? SigningCertificateReferenceMatches { get; init; }

    /// <summary>Every certificate carried with the signature (CMS certificates, KeyInfo, /DSS, time-stamp tokens, XAdES CertificateValues).</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];

    /// <summary>DER OCSPResponse or BasicOCSPResponse structures carried with it (/DSS /OCSPs, RevocationValues, CMS revocation data).</summary>
    public IReadOnlyList<byte[]> OcspResponses { get; init; } = [];

    /// <summary>DER CertificateLists carried with it.</summary>
    public IReadOnlyList<byte[]> Crls { get; init; } = [];

    public DateTimeOffset? ClaimedSigningTime { get; init; }

    /// <summary>All signed data was found and every digest over it matches. Null when the reader could not tell.</summary>
    public bool? DataIntact { get; init; }

    /// <summary>Why <see cref="DataIntact"/> is false (which reference, which range, which file).</summary>
    public string? DataProblem { get; init; }

    /// <summary>The signature value verifies with the signing certificate's key. Null without a signing certificate.</summary>
    public bool? SignatureIntact { get; init; }

    public string? DigestAlgorithm { get; init; }

    public string? SignatureAlgorithm { get; init; }

    /// <summary>Signature time-stamps (B-T): tokens over the signature value, each with whether its imprint matched.</summary>
    public IReadOnlyList<TimestampEvidence> SignatureTimestamps { get; init; } = [];

    /// <summary>Archive / document time-stamps (B-LTA) covering this signature and its validation data.</summary>
    public IReadOnlyList<TimestampEvidence> ArchiveTimestamps { get; init; } = [];

    /// <summary>Deviations from the format that validators tolerate (DSS does too): shown in the report, never decisive.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What the signature covers, for the report (revision, references, files).</summary>
    public IReadOnlyList<string> SignedObjects { get; init; } = [];
}

/// <summary>A time-stamp token (DER ContentInfo) found on a signature, and whether its message imprint matched what it should cover.</summary>
public sealed record TimestampEvidence(byte[] Token, bool ImprintMatches, string? Problem = null);
