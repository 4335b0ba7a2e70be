namespace IdentityHub.Signing.Validation.Status;

internal enum CertificateStatus
{
    Unknown,
    Good,
    Revoked,
}

/// <summary>What verified revocation data says about one certificate; Covered when any data (verified or not) names it.</summary>
internal sealed record RevocationFinding(CertificateStatus Status, DateTimeOffset? RevokedAt, DateTimeOffset? IssuedAt, bool Covered, IReadOnlyList<string> Messages)
{
    /// <summary>Not checked: the signer's certificate is itself a trust anchor (trusted by configuration).</summary>
    public static RevocationFinding None { get; } = new(CertificateStatus.Unknown, null, null, false, []) { Anchor = true };

    public bool Anchor { get; init; }

    public string StatusName => Status switch
    {
        CertificateStatus.Good => "good",
        CertificateStatus.Revoked => "revoked",
        _ => "unknown",
    };
}
