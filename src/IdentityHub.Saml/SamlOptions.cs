using System.ComponentModel.DataAnnotations;
using IdentityHub.Authentication.Sessions;

namespace IdentityHub.Saml;

/// <summary>Settings of the SAML 2.0 identity provider (configuration section "Saml").</summary>
public sealed class SamlOptions
{
    public const string SectionName = "Saml";

    /// <summary>
    /// The IdP's entityID (saml-metadata-2.0-os §2.3.2): a URI naming this hub for every service provider; by default
    /// the hub's public base URL followed by /saml/metadata. Changing it breaks every SP's trust.
    /// </summary>
    public string? EntityId { get; set; }

    /// <summary>
    /// How far a message's IssueInstant may be from the hub's clock (saml-profiles-2.0-os §4.1.4.3 leaves it to the IdP;
    /// 3 minutes covers ordinary clock drift without letting old messages through).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long an AuthnRequest may take to be answered (the citizen's login included); its ID is remembered this long.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan RequestLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An assertion's validity (Conditions NotOnOrAfter, SubjectConfirmationData NotOnOrAfter): short, as bearer assertions are.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:30:00")]
    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the signed metadata says it may be used (validUntil) and cached (cacheDuration).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan MetadataValidity { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan MetadataCacheDuration { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Largest SAML message accepted, as received (base64) and once inflated (a deflate bomb stops here).</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>How long a Single Logout may take to pass through every SP; an SP's LogoutRequest ID is remembered this long.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan LogoutLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the end of a Single Logout waits for the session's back-channel logouts (OpenID Connect logout tokens,
    /// SOAP LogoutRequests to SPs without a front-channel endpoint) to be confirmed before it reports: a delivery not
    /// confirmed by then makes the logout partial.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan LogoutBackChannelWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Delivery of LogoutRequests over SOAP to SPs whose metadata has a SOAP SingleLogoutService, for sessions that end
    /// without the citizen's browser (section "Saml:BackChannelLogout"; the retry schedule as for OpenID Connect).
    /// </summary>
    public BackChannelDeliveryOptions BackChannelLogout { get; set; } = new();
}
