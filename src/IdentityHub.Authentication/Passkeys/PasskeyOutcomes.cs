using IdentityHub.Authentication.Assurance;
using IdentityHub.Data.Accounts;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>Why a passkey ceremony failed, for the page to explain (the audit log gets the technical reason).</summary>
public enum PasskeyError
{
    None,

    /// <summary>The challenge was answered already, never issued, or issued for something else.</summary>
    ChallengeUnknown,
    ChallengeExpired,

    /// <summary>The browser's answer does not verify (origin, RP id, signature, flags, malformed data …).</summary>
    Rejected,

    /// <summary>The authenticator did not verify the user (no PIN or biometrics) where that is required.</summary>
    UserVerificationRequired,

    /// <summary>The passkey belongs to another account than the one signing in.</summary>
    WrongAccount,

    /// <summary>The signature counter went backwards: possibly a cloned authenticator.</summary>
    SignCountRegression,

    /// <summary>The registration's attestation statement does not verify.</summary>
    AttestationInvalid,
}

/// <summary>The end of a registration: the stored passkey's details, or why not.</summary>
public sealed record PasskeyRegistrationOutcome(PasskeyError Error, string? Reason, PasskeyDetailsRecord? Details)
{
    public bool Succeeded => Error == PasskeyError.None;
}

/// <summary>The end of an assertion: who it proved and how, or why not.</summary>
public sealed record PasskeyAssertionOutcome(PasskeyError Error, string? Reason, HubAccount? Account, AuthenticationRecord? Authentication)
{
    public bool Succeeded => Error == PasskeyError.None;
}

/// <summary>Options for the browser (JSON for navigator.credentials) and the id of the challenge to answer.</summary>
public sealed record PasskeyChallenge(Guid ChallengeId, string OptionsJson);
