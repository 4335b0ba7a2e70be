using Microsoft.Extensions.Logging;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>OpenID signing key log events, ids 6100-6199. Kids only: the private keys never leave the HSM.</summary>
internal static partial class SigningKeyLog
{
    [LoggerMessage(6100, LogLevel.Information, "OpenID signing keys created on first use: current {Current}, next {Next}")]
    public static partial void Created(ILogger logger, string current, string next);

    [LoggerMessage(6101, LogLevel.Information, "OpenID signing keys in use on this node: signing with {Current}; published {Published}")]
    public static partial void InUse(ILogger logger, string current, string published);
}
