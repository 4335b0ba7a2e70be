using IdentityHub.Authentication.Sessions;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>
/// How logout tokens are delivered (OpenID Connect Back-Channel Logout 1.0 §2.5, §2.8): the retry schedule every
/// back-channel delivery has (<see cref="BackChannelDeliveryOptions"/>), and the token's lifetime.
/// </summary>
public sealed class BackChannelLogoutOptions : BackChannelDeliveryOptions
{
    /// <summary>A logout token's lifetime (exp − iat). The spec suggests a short one; it is for one delivery only.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    public override string? Problem(string section) =>
        base.Problem(section) ?? (TokenLifetime <= TimeSpan.Zero ? $"{section}:TokenLifetime must be positive." : null);
}
