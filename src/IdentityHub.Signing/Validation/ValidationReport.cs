using System.Text.Json.Serialization;

namespace IdentityHub.Signing.Validation;

/// <summary>ETSI EN 319 102-1 §5.1.3 main status indications.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Indication>))]
public enum Indication
{
    [JsonStringEnumMemberName("TOTAL-PASSED")]
    TotalPassed,

    [JsonStringEnumMemberName("INDETERMINATE")]
    Indeterminate,

    [JsonStringEnumMemberName("TOTAL-FAILED")]
    TotalFailed,
}

/// <summary>ETSI EN 319 102-1 §5.1.3 table 5 sub-indications (the ones this validator can reach).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubIndication>))]
public enum SubIndication
{
    // TOTAL-FAILED
    [JsonStringEnumMemberName("FORMAT_FAILURE")] FormatFailure,
    [JsonStringEnumMemberName("HASH_FAILURE")] HashFailure,
    [JsonStringEnumMemberName("SIG_CRYPTO_FAILURE")] SigCryptoFailure,
    [JsonStringEnumMemberName("REVOKED")] Revoked,
    [JsonStringEnumMemberName("NOT_YET_VALID")] NotYetValid,

    // INDETERMINATE
    [JsonStringEnumMemberName("SIG_CONSTRAINTS_FAILURE")] SigConstraintsFailure,
    [JsonStringEnumMemberName("CHAIN_CONSTRAINTS_FAILURE")] ChainConstraintsFailure,
    [JsonStringEnumMemberName("CERTIFICATE_CHAIN_GENERAL_FAILURE")] CertificateChainGeneralFailure,
    [JsonStringEnumMemberName("CRYPTO_CONSTRAINTS_FAILURE")] CryptoConstraintsFailure,
    [JsonStringEnumMemberName("EXPIRED")] Expired,
    [JsonStringEnumMemberName("NO_SIGNING_CERTIFICATE_FOUND")] NoSigningCertificateFound,
    [JsonStringEnumMemberName("NO_CERTIFICATE_CHAIN_FOUND")] NoCertificateChainFound,
    [JsonStringEnumMemberName("REVOKED_NO_POE")] RevokedNoPoe,
    [JsonStringEnumMemberName("REVOKED_CA_NO_POE")] RevokedCaNoPoe,
    [JsonStringEnumMemberName("OUT_OF_BOUNDS_NO_POE")] OutOfBoundsNoPoe,
    [JsonStringEnumMemberName("OUT_OF_BOUNDS_NOT_REVOKED")] OutOfBoundsNotRevoked,
    [JsonStringEnumMemberName("CRYPTO_CONSTRAINTS_FAILURE_NO_POE")] CryptoConstraintsFailureNoPoe,
    [JsonStringEnumMemberName("NO_POE")] NoPoe,
    [JsonStringEnumMemberName("TRY_LATER")] TryLater,
    [JsonStringEnumMemberName("SIGNED_DATA_NOT_FOUND")] SignedDataNotFound,
    [JsonStringEnumMemberName("TIMESTAMP_ORDER_FAILURE")] TimestampOrderFailure,
    [JsonStringEnumMemberName("REVOCATION_OUT_OF_BOUNDS_NO_POE")] RevocationOutOfBoundsNoPoe,
}

/// <summary>The signature formats the service creates and validates.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SignatureFormat>))]
public enum SignatureFormat
{
    [JsonStringEnumMemberName("PAdES")] Pades,
    [JsonStringEnumMemberName("XAdES")] Xades,
    [JsonStringEnumMemberName("CAdES")] Cades,
}

/// <summary>Baseline levels (EN 319 142-1 / 132-1 / 122-1 §6): the highest one whose elements a signature carries.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SignatureLevel>))]
public enum SignatureLevel
{
    /// <summary>Not a baseline signature (e.g. adbe.pkcs7.detached, or no signing-certificate attribute).</summary>
    [JsonStringEnumMemberName("NONE")] None,
    [JsonStringEnumMemberName("B-B")] BaselineB,
    [JsonStringEnumMemberName("B-T")] BaselineT,
    [JsonStringEnumMemberName("B-LT")] BaselineLT,
    [JsonStringEnumMemberName("B-LTA")] BaselineLTA,
}

/// <summary>The result of validating one uploaded document: one report per signature it holds.</summary>
public sealed record ValidationReport(
    string DocumentName,
    string DocumentSha256,
    /// <summary>"PAdES", "XAdES", "CAdES", "ASiC-E (XAdES)", "ASiC-E (CAdES)", "ASiC-S (…)".</summary>
    string Container,
    DateTimeOffset ValidationTime,
    IReadOnlyList<SignatureReport> Signatures,
    /// <summary>Set when the document itself could not be read (no signature found, malformed, hostile).</summary>
    string? Problem = null);

/// <summary>What the hub concluded about one signature (ETSI EN 319 102-1 §5 and its validation report, TS 119 102-2).</summary>
public sealed record SignatureReport
{
    /// <summary>PDF field name, XML signature Id, or "signer-1" for CMS SignerInfos in order.</summary>
    public required string Id { get; init; }

    public required SignatureFormat Format { get; init; }

    public required SignatureLevel Level { get; init; }

    public required Indication Indication { get; init; }

    public SubIndication? SubIndication { get; init; }

    /// <summary>Human-readable reasons, most important first (each names the check that failed).</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    public CertificateInfo? Signer { get; init; }

    /// <summary>The path that was built, signer first; the last one is a trust anchor when the chain is trusted.</summary>
    public IReadOnlyList<CertificateInfo> Chain { get; init; } = [];

    public bool ChainTrusted { get; init; }

    /// <summary>From the signer's QCStatements (EN 319 412-5): QcCompliance present.</summary>
    public bool QualifiedCertificate { get; init; }

    /// <summary>QcSSCD present: the key is in a qualified signature creation device.</summary>
    public bool QualifiedSignatureCreationDevice { get; init; }

    /// <summary>The time the signature claims (CMS signing-time, PDF /M, XAdES SigningTime); not proof of anything.</summary>
    public DateTimeOffset? ClaimedSigningTime { get; init; }

    /// <summary>The earliest signature time-stamp whose imprint matches: proof the signature existed then.</summary>
    public DateTimeOffset? ProvenSigningTime { get; init; }

    /// <summary>All signed data found and its digests match (message-digest, ByteRange, XML references, ASiC manifest).</summary>
    public bool? DataIntact { get; init; }

    /// <summary>The signature value verifies with the signer's public key.</summary>
    public bool? SignatureIntact { get; init; }

    /// <summary>Status of the signer certificate at the proven (or else current) time: "good", "revoked", "unknown".</summary>
    public string? RevocationStatus { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public IReadOnlyList<TimestampReport> Timestamps { get; init; } = [];

    public string? DigestAlgorithm { get; init; }

    public string? SignatureAlgorithm { get; init; }

    /// <summary>What the signature covers: a PDF's revision, the XML references, the ASiC files.</summary>
    public IReadOnlyList<string> SignedObjects { get; init; } = [];
}

public sealed record CertificateInfo(string Subject, string Issuer, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256);

/// <summary>A time-stamp found on or over the signature.</summary>
public sealed record TimestampReport(
    /// <summary>"signature" (B-T), "archive" / "document" (B-LTA), "content".</summary>
    string Kind,
    DateTimeOffset GenerationTime,
    string? TsaName,
    bool ImprintIntact,
    bool SignatureIntact,
    bool TrustedTsa);
