namespace IdentityHub.Data.Accounts;

/// <summary>
/// A TOTP app (RFC 6238) an account registered. The shared secret is stored only protected by the hub's Data Protection
/// key ring; <see cref="LastUsedStep"/> is the last accepted time step, so a code is accepted once.
/// </summary>
public sealed class TotpAuthenticatorRecord
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    public required string Name { get; set; }

    public required byte[] ProtectedSecret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long? LastUsedStep { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>
/// What the hub keeps about a passkey besides Identity's own record (accounts.user_passkeys): how its attestation was
/// judged, the authenticator model, and its use. One row per credential id.
/// </summary>
public sealed class PasskeyDetailsRecord
{
    public required byte[] CredentialId { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The authenticator model (AAGUID) from the attested credential data; all zeros when the browser hid it.</summary>
    public Guid Aaguid { get; set; }

    /// <summary>The attestation statement format: none, packed, fido-u2f, tpm, …</summary>
    public required string AttestationFormat { get; set; }

    /// <summary>The attestation statement verified and chained to a configured trust anchor.</summary>
    public bool AttestationTrusted { get; set; }

    /// <summary>Subject of the trust anchor the attestation chained to, for the record.</summary>
    public string? AttestationAnchor { get; set; }

    public bool UserVerifiedAtRegistration { get; set; }

    public bool BackupEligible { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>How many assertions came with a signature counter at or below the stored one (a sign of a cloned authenticator).</summary>
    public int SignCountRegressions { get; set; }

    /// <summary>
    /// The level of assurance (URI) of the session that registered the passkey: it never counts above that level
    /// (NIST SP 800-63B §6.1.2.1, binding at the level the authenticator gives). Null for passkeys bound before this rule.
    /// </summary>
    public string? BoundAtLevel { get; set; }
}

/// <summary>One of an account's single-use recovery codes, stored only as a hash.</summary>
public sealed class RecoveryCodeRecord
{
    public long Id { get; set; }

    public Guid AccountId { get; set; }

    public required byte[] CodeHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>
/// A WebAuthn challenge handed to a browser: the ceremony state Identity's passkey handler needs to finish it. A row is
/// deleted when the answer arrives, so each challenge is answered at most once, on whichever node receives it.
/// </summary>
public sealed class WebAuthnChallengeRecord
{
    public Guid Id { get; set; }

    /// <summary>"registration" or "assertion".</summary>
    public required string Ceremony { get; set; }

    /// <summary>The account the ceremony is for, when known before it starts.</summary>
    public Guid? AccountId { get; set; }

    /// <summary>The passkey handler's attestation or assertion state (JSON).</summary>
    public required string State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
