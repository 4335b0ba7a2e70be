using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Diagnostics;

/// <summary>Authentication logs (event ids 4000-4099). Never a password, one-time password or cookie.</summary>
internal static partial class AuthenticationLog
{
    [LoggerMessage(4000, LogLevel.Information, "Staff account {UserName} created with role {Role} by {Actor}")]
    public static partial void StaffAccountCreated(this ILogger logger, string userName, string role, string actor);

    [LoggerMessage(4001, LogLevel.Information, "Staff account {UserName} disabled by {Actor}")]
    public static partial void StaffAccountDisabled(this ILogger logger, string userName, string actor);

    [LoggerMessage(4002, LogLevel.Information, "Staff sign-in succeeded for {UserName}")]
    public static partial void SignInSucceeded(this ILogger logger, string userName);

    [LoggerMessage(4003, LogLevel.Warning, "Staff sign-in failed ({Reason})")]
    public static partial void SignInFailed(this ILogger logger, string reason);

    [LoggerMessage(4004, LogLevel.Information, "Staff account {UserName} changed its password")]
    public static partial void PasswordChanged(this ILogger logger, string userName);

    [LoggerMessage(4005, LogLevel.Information, "Staff session of {UserName} ended: older than the absolute lifetime")]
    public static partial void SessionExpired(this ILogger logger, string userName);
}
