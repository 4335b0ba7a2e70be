namespace IdentityHub.Authentication.Login;

public enum LoginStatus
{
    /// <summary>Signed in (or stepped up): go to <see cref="LoginOutcome.ReturnUrl"/>.</summary>
    Complete,

    /// <summary>A further step is needed: the login state names the methods that would do.</summary>
    NeedsMore,

    /// <summary>The step failed; <see cref="LoginOutcome.Error"/> says why, for the page.</summary>
    Failed,
}

/// <summary>Why a login step failed, for the page to explain.</summary>
public enum LoginError
{
    None,

    /// <summary>Unknown account, wrong password, locked or disabled: one answer for all.</summary>
    WrongCredentials,
    WrongCode,
    ReplayedCode,
    WrongRecoveryCode,
    LockedOut,

    /// <summary>The login state expired or is missing: start again.</summary>
    NoLoginInProgress,

    /// <summary>The account has no authenticator that reaches the level asked for.</summary>
    LevelUnreachable,

    /// <summary>That method is not offered for this account (e.g. TOTP for an admin with a passkey).</summary>
    MethodNotAllowed,

    /// <summary>The citizen's eID is suspended or revoked: no login with it until it is resumed or replaced.</summary>
    EidNotActive,
    Passkey,
}

public sealed record LoginOutcome(LoginStatus Status, LoginError Error = LoginError.None, string? ReturnUrl = null,
    Passkeys.PasskeyError PasskeyError = Passkeys.PasskeyError.None)
{
    public static LoginOutcome Fail(LoginError error) => new(LoginStatus.Failed, error);
}

/// <summary>A login waiting for its next step, and the methods that would move it on.</summary>
public sealed record PendingLogin(LoginState State, IReadOnlySet<string> Steps)
{
    public bool OffersTotp => Steps.Contains(Assurance.AuthenticationMethods.Totp);

    public bool OffersRecoveryCode => Steps.Contains(Assurance.AuthenticationMethods.RecoveryCode);

    public bool OffersPasskey => Steps.Any(m => m.StartsWith(Assurance.AuthenticationMethods.Passkey, StringComparison.Ordinal));
}
