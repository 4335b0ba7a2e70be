using Microsoft.Extensions.Logging;

namespace IdentityHub.Hsm.Diagnostics;

/// <summary>HSM log events, ids 1000-1099. Never a PIN.</summary>
internal static partial class HsmLog
{
    [LoggerMessage(1000, LogLevel.Information, "Opened HSM token {Label} (serial {Serial})")]
    public static partial void Opened(ILogger logger, string label, string serial);

    [LoggerMessage(1001, LogLevel.Information, "Generated {Algorithm} key pair {KeyId} ({Label}) in the HSM")]
    public static partial void KeyGenerated(ILogger logger, string keyId, string label, string algorithm);

    [LoggerMessage(1002, LogLevel.Warning, "Key {KeyId} in the HSM is not listed: {Reason}")]
    public static partial void KeySkipped(ILogger logger, string keyId, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "HSM key {KeyId}: the token no longer knows its handle; found it again by CKA_ID")]
    public static partial void KeyHandleRefreshed(ILogger logger, string keyId);
}
