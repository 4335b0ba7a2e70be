using Microsoft.Extensions.Logging;

namespace IdentityHub.Hsm.Diagnostics;

/// <summary>HSM log events, ids 1000-1099. Never a PIN.</summary>
internal static partial class HsmLog
{
    [LoggerMessage(1000, LogLevel.Information, "Opened HSM token {Label} (serial {Serial})")]
    public static partial void Opened(ILogger logger, string label, string serial);

    [LoggerMessage(1001, LogLevel.Information, "Generated {Algorithm} key pair {KeyId} ({Label}) in the HSM")]
    public static partial void KeyGenerated(ILogger logger, string keyId, string label, string algorithm);
}
