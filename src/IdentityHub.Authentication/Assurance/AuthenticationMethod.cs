namespace IdentityHub.Authentication.Assurance;

/// <summary>
/// What a person did to authenticate, as the level-of-assurance mapping names it. Passkeys are split by what the
/// authenticator proved: presence only, user verification (PIN or biometrics), and user verification on an
/// authenticator whose attestation chained to a trust anchor the operator loaded.
/// </summary>
public static class AuthenticationMethods
{
    public const string Password = "pwd";
    public const string Totp = "otp";
    public const string RecoveryCode = "recovery-code";
    public const string Passkey = "passkey";
    public const string PasskeyVerified = "passkey-uv";
    public const string PasskeyVerifiedAttested = "passkey-uv-attested";

    /// <summary>
    /// The activation letter's code, accepted in this session (activation). Not a level-of-assurance method: it reaches
    /// no level and cannot be named in the mapping. It only lets the session bind authenticators at high, because the
    /// letter was printed after identity proofing in person at a counter (NIST SP 800-63B §6.1.2.1).
    /// </summary>
    public const string ActivationCode = "activation-code";

    /// <summary>
    /// A recovery letter's code, accepted in this session (account recovery): binds like <see cref="ActivationCode"/>.
    /// The letter was handed over at a counter after an identity check, or posted to the registered address of the
    /// person proofed in person (the address of record, NIST SP 800-63B §6.1.2.3).
    /// </summary>
    public const string RecoveryLetter = "recovery-letter";

    /// <summary>A one-time password an admin or hubctl handed out for a new staff account: binds like <see cref="ActivationCode"/>.</summary>
    public const string OneTimePassword = "one-time-password";

    /// <summary>The methods the level-of-assurance mapping may name.</summary>
    public static IReadOnlyList<string> All { get; } = [Password, Totp, RecoveryCode, Passkey, PasskeyVerified, PasskeyVerifiedAttested];

    public static bool IsKnown(string method) => All.Contains(method, StringComparer.Ordinal);

    /// <summary>A credential issued to the person after identity proofing: the session it opened binds authenticators at high.</summary>
    public static bool IsIssuedCredential(string method) => method is ActivationCode or RecoveryLetter or OneTimePassword;
}

/// <summary>One authentication within a session: the method, when, and for a passkey what its authenticator data said.</summary>
public sealed record AuthenticationRecord(string Method, DateTimeOffset At, PasskeyFacts? Passkey = null)
{
    /// <summary>
    /// The methods this authentication counts as for the mapping: a verified, attested passkey also counts as a verified
    /// one and as a plain one, so a rule asking for less is met by more.
    /// </summary>
    public IEnumerable<string> Satisfies()
    {
        yield return Method;
        if (Method == AuthenticationMethods.PasskeyVerifiedAttested)
        {
            yield return AuthenticationMethods.PasskeyVerified;
        }

        if (Method is AuthenticationMethods.PasskeyVerifiedAttested or AuthenticationMethods.PasskeyVerified)
        {
            yield return AuthenticationMethods.Passkey;
        }
    }
}

/// <summary>What a passkey assertion showed: user verification, whether the credential may be synced (backup eligible), and whether it is.</summary>
public sealed record PasskeyFacts(bool UserVerified, bool BackupEligible, bool BackedUp, bool AttestationTrusted);
