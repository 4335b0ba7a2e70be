using Microsoft.Extensions.Logging;

namespace IdentityHub.Signing.Activation;

/// <summary>Signature activation logs (event ids 7000-7019). Never a code, an assertion, a challenge or a SAD.</summary>
internal static partial class ActivationLog
{
    [LoggerMessage(7000, LogLevel.Information, "Signature activation {ActivationId} prepared for {Documents} document(s), agency {ClientId}")]
    public static partial void ActivationPrepared(this ILogger logger, Guid activationId, int documents, string clientId);

    [LoggerMessage(7001, LogLevel.Information, "Signature activation {ActivationId} confirmed with {Method}")]
    public static partial void ActivationConfirmed(this ILogger logger, Guid activationId, string method);

    [LoggerMessage(7002, LogLevel.Warning, "Signature activation {ActivationId} refused at {Step}: {Reason}")]
    public static partial void ActivationRefused(this ILogger logger, Guid activationId, string step, string reason);

    [LoggerMessage(7003, LogLevel.Information, "Signature activation {ActivationId} consumed")]
    public static partial void ActivationConsumed(this ILogger logger, Guid activationId);
}
