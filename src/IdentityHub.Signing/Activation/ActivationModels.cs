namespace IdentityHub.Signing.Activation;

/// <summary>One document of a batch, as the citizen is shown it: its name, its size and the hash of the data to be signed.</summary>
/// <param name="Hash">
/// The hash of the data to be signed (for CSC signHash, the hash the client sends; for the hub's own formats, the
/// document's digest), computed with the activation's hash algorithm.
/// </param>
public sealed record DocumentToSign(string Name, long Size, byte[] Hash);

/// <summary>What a caller (the portal, the agency API, the CSC API) asks the citizen to sign.</summary>
/// <param name="AccountId">The citizen's account; its person's signature credential is the key used.</param>
/// <param name="HashAlgorithmOid">The OID of the documents' hash algorithm (SHA-256 unless a CSC client asks otherwise).</param>
/// <param name="ClientId">The agency (OAuth client id) asking, if any: shown to the citizen and audited.</param>
/// <param name="ClientAddress">The address the request came from, for the audit chain.</param>
public sealed record ActivationRequest(
    Guid AccountId,
    IReadOnlyList<DocumentToSign> Documents,
    string HashAlgorithmOid = ActivationHashes.Sha256Oid,
    string? ClientId = null,
    string? ClientAddress = null);

/// <summary>A prepared activation, as the confirmation page shows it.</summary>
/// <param name="Challenge">The challenge derived from the key id, the nonce and the hashes (<see cref="ActivationChallenge"/>).</param>
public sealed record PreparedActivation(
    Guid Id,
    Guid AccountId,
    string KeyId,
    string CertificateIssuer,
    string CertificateSerial,
    string HashAlgorithmOid,
    IReadOnlyList<DocumentToSign> Documents,
    byte[] Challenge,
    string State,
    string? ClientId,
    DateTimeOffset ExpiresAt);

/// <summary>Why preparing or confirming an activation was refused (stable values for pages and APIs).</summary>
public enum ActivationError
{
    None,

    /// <summary>The account is not a citizen's, or the citizen holds no active eID with a signature key.</summary>
    NoCredential,

    /// <summary>No documents, more than SigningOptions.MaxBatchDocuments, a blank name, a negative size or a hash of the wrong length.</summary>
    InvalidDocuments,

    /// <summary>The hash algorithm is not one the hub signs with (SHA-256, SHA-384, SHA-512).</summary>
    UnsupportedHashAlgorithm,

    /// <summary>No prepared activation of this citizen with this id (or it was activated already).</summary>
    UnknownActivation,

    /// <summary>The activation is past its lifetime.</summary>
    Expired,

    /// <summary>The second factor did not verify (wrong code, replayed code, wrong passkey, wrong challenge, no user verification).</summary>
    SecondFactorRefused,

    /// <summary>The account is locked after too many failed attempts: nothing was checked.</summary>
    LockedOut,
}

/// <summary>The end of a prepare: the activation to show, or why not.</summary>
public sealed record PrepareOutcome(ActivationError Error, PreparedActivation? Activation)
{
    public bool Succeeded => Error == ActivationError.None;
}

/// <summary>The end of a confirmation: activated, or why not (the technical reason is for the audit log, never a secret).</summary>
public sealed record ConfirmOutcome(ActivationError Error, string? Reason = null)
{
    public bool Succeeded => Error == ActivationError.None;
}

/// <summary>Why using an activation was refused. <see cref="ConsumeRefusals.Code"/> gives each a stable code.</summary>
public enum ConsumeRefusal
{
    None,
    NotActivated,
    Expired,
    AlreadyUsed,
    OtherCitizen,
    OtherKey,
    OtherHashes,

    /// <summary>The citizen holds no signature credential any more (the gate could not find the key to check).</summary>
    NoCredential,
}

/// <summary>The end of a consumption: the key may be used now for exactly the activation's hashes, or why not.</summary>
public sealed record ConsumeOutcome(ConsumeRefusal Refusal)
{
    public bool Succeeded => Refusal == ConsumeRefusal.None;
}

public static class ConsumeRefusals
{
    /// <summary>The stable code of a refusal: what APIs answer and the audit log records.</summary>
    public static string Code(this ConsumeRefusal refusal) => refusal switch
    {
        ConsumeRefusal.None => "none",
        ConsumeRefusal.NotActivated => "not-activated",
        ConsumeRefusal.Expired => "expired",
        ConsumeRefusal.AlreadyUsed => "already-used",
        ConsumeRefusal.OtherCitizen => "other-citizen",
        ConsumeRefusal.OtherKey => "other-key",
        ConsumeRefusal.OtherHashes => "other-hashes",
        ConsumeRefusal.NoCredential => "no-credential",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };
}
