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

    public static IReadOnlyList<string> All { get; } = [Password, Totp, RecoveryCode, Passkey, PasskeyVerified, PasskeyVerifiedAttested];

    public static bool IsKnown(string method) => All.Contains(method, StringComparer.Ordinal);
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
