namespace IdentityHub.Data.Registry;

/// <summary>A national eID: a document number, two certificates with HSM-held keys, and its activation state.</summary>
public sealed class EidRecord
{
    public Guid Id { get; set; }

    public Guid PersonId { get; set; }

    /// <summary>Two letters and seven digits, unique, printed on the activation letter.</summary>
    public required string DocumentNumber { get; set; }

    public EidStatus Status { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public required string IssuedBy { get; set; }

    public required string ServicePoint { get; set; }

    public Guid? EnrolmentId { get; set; }

    /// <summary>The eID this one replaced after loss, if any.</summary>
    public Guid? ReplacesEidId { get; set; }

    /// <summary>SHA-256 of the activation code on the last printed letter; the code itself is never stored.</summary>
    public byte[]? ActivationCodeHash { get; set; }

    public DateTimeOffset? ActivationCodeExpiresAt { get; set; }

    public int ActivationFailedAttempts { get; set; }

    public DateTimeOffset? ActivatedAt { get; set; }

    public DateTimeOffset? LetterPrintedAt { get; set; }

    public DateTimeOffset StatusChangedAt { get; set; }

    public required string StatusChangedBy { get; set; }

    public string? StatusReason { get; set; }
}

public enum EidStatus
{
    Active = 0,
    Suspended = 1,
    Revoked = 2,
}

/// <summary>One key of an eID, kept only as a blob wrapped by the HSM's trusted key, with its certificate.</summary>
public sealed class EidKeyRecord
{
    public long Id { get; set; }

    public Guid EidId { get; set; }

    public EidKeyPurpose Purpose { get; set; }

    /// <summary>P-256, P-384, RSA-3072 …</summary>
    public required string Algorithm { get; set; }

    public required byte[] WrappedPrivateKey { get; set; }

    public required byte[] SubjectPublicKeyInfo { get; set; }

    public required string CertificateIssuer { get; set; }

    public required string CertificateSerial { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when renewal or replacement superseded this key; the row stays as history.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

public enum EidKeyPurpose
{
    Authentication = 0,
    Signature = 1,
}
