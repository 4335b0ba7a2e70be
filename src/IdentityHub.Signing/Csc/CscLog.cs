using Microsoft.Extensions.Logging;

namespace IdentityHub.Signing.Csc;

/// <summary>CSC API logs (event ids 7020-7039). Never a SAD, a code, a token or a hash's document.</summary>
internal static partial class CscLog
{
    [LoggerMessage(7020, LogLevel.Information, "CSC authorization: SAD issued for activation {ActivationId} over {Hashes} hash(es)")]
    public static partial void SadIssued(this ILogger logger, Guid activationId, int hashes);

    [LoggerMessage(7021, LogLevel.Warning, "CSC signHash refused for activation {ActivationId}: {Reason}")]
    public static partial void SignHashRefused(this ILogger logger, Guid activationId, string reason);
}
