using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Diagnostics;

/// <summary>Authentication logs (event ids 4000-4099). Never a password, code, secret, challenge or cookie.</summary>
internal static partial class AuthenticationLog
{
    [LoggerMessage(4000, LogLevel.Information, "Staff account {UserName} created with role {Role} by {Actor}")]
    public static partial void StaffAccountCreated(this ILogger logger, string userName, string role, string actor);

    [LoggerMessage(4001, LogLevel.Information, "Staff account {UserName} disabled by {Actor}")]
    public static partial void StaffAccountDisabled(this ILogger logger, string userName, string actor);

    [LoggerMessage(4040, LogLevel.Information, "Staff account {UserName} got a new one-time password from {Actor}")]
    public static partial void StaffPasswordReset(this ILogger logger, string userName, string actor);

    [LoggerMessage(4041, LogLevel.Information, "Staff account {UserName} now has roles {Roles} (set by {Actor})")]
    public static partial void StaffRolesSet(this ILogger logger, string userName, string roles, string actor);

    [LoggerMessage(4002, LogLevel.Information, "Login of {UserName} ({Audience}) reached {Level}")]
    public static partial void LoginSucceeded(this ILogger logger, string userName, string audience, string level);

    [LoggerMessage(4003, LogLevel.Warning, "Login step {Step} failed ({Reason})")]
    public static partial void LoginStepFailed(this ILogger logger, string step, string reason);

    [LoggerMessage(4004, LogLevel.Information, "Account {UserName} changed its password")]
    public static partial void PasswordChanged(this ILogger logger, string userName);

    [LoggerMessage(4005, LogLevel.Information, "Session of {UserName} ({Audience}) is over: ended, idle or past its absolute lifetime")]
    public static partial void SessionEnded(this ILogger logger, string userName, string audience);

    [LoggerMessage(4011, LogLevel.Warning, "Session cookie of {UserName} ({Audience}) refused: {Reason}")]
    public static partial void SessionRefused(this ILogger logger, string userName, string audience, string reason);

    [LoggerMessage(4006, LogLevel.Information, "Passkey registered for {UserName} (attestation {Format}, trusted {Trusted})")]
    public static partial void PasskeyRegistered(this ILogger logger, string userName, string format, bool trusted);

    [LoggerMessage(4007, LogLevel.Warning, "Passkey {Ceremony} refused: {Error}")]
    public static partial void PasskeyCeremonyFailed(this ILogger logger, string ceremony, string error);

    [LoggerMessage(4008, LogLevel.Warning, "Passkey of {UserName} presented a signature counter at or below the stored one: possibly a cloned authenticator")]
    public static partial void SignCountRegression(this ILogger logger, string userName);

    [LoggerMessage(4009, LogLevel.Information, "eID {DocumentNumber} activated by its holder")]
    public static partial void Activated(this ILogger logger, string documentNumber);

    [LoggerMessage(4010, LogLevel.Warning, "Activation refused ({Reason})")]
    public static partial void ActivationRefused(this ILogger logger, string reason);

    [LoggerMessage(4012, LogLevel.Information, "Account of {UserName} recovered with a recovery letter")]
    public static partial void AccountRecovered(this ILogger logger, string userName);

    [LoggerMessage(4013, LogLevel.Warning, "Account recovery refused ({Reason})")]
    public static partial void RecoveryRefused(this ILogger logger, string reason);

    [LoggerMessage(4050, LogLevel.Information, "Officer {UserName} signed in on a counter device at {ServicePoint}")]
    public static partial void CounterSignedIn(this ILogger logger, string userName, string servicePoint);
}
