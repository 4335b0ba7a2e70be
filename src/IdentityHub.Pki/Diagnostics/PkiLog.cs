using Microsoft.Extensions.Logging;

namespace IdentityHub.Pki.Diagnostics;

/// <summary>PKI log events, ids 2000-2099.</summary>
internal static partial class PkiLog
{
    [LoggerMessage(2000, LogLevel.Information, "Created CA {Ca} with HSM key {KeyId}, certificate serial {Serial}")]
    public static partial void AuthorityCreated(ILogger logger, string ca, string keyId, string serial);

    [LoggerMessage(2001, LogLevel.Information, "Issued service credential {Purpose} from CA {Ca}, serial {Serial}")]
    public static partial void CredentialIssued(ILogger logger, string purpose, string ca, string serial);

    [LoggerMessage(2002, LogLevel.Warning, "Revoked certificate {Serial} of CA {Ca}: {Reason}")]
    public static partial void CertificateRevoked(ILogger logger, string ca, string serial, RevocationReason reason);

    [LoggerMessage(2003, LogLevel.Error, "CA {Ca} has no OCSP responder credential: run hubctl pki init")]
    public static partial void OcspResponderMissing(ILogger logger, string ca);

    [LoggerMessage(2004, LogLevel.Error, "Time-stamp generation failed")]
    public static partial void TimeStampFailed(ILogger logger, Exception exception);

    [LoggerMessage(2005, LogLevel.Information, "Created the HSM key {Label} that encrypts the Data Protection key ring")]
    public static partial void DataProtectionKeyCreated(ILogger logger, string label);
}
