namespace IdentityHub.Saml.Providers;

/// <summary>
/// A service provider to register: its metadata (the source of its entityID, ACS URLs and keys) and the hub's settings
/// for it. Null settings take the defaults docs/saml.md gives.
/// </summary>
public sealed record ServiceProviderSpec
{
    public required byte[] Metadata { get; init; }

    /// <summary>Where the metadata came from (file name or URL), kept for the operator.</summary>
    public string? MetadataSource { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>The pairwise sector; default: the host of the entityID (or the entityID itself when it is not a URL).</summary>
    public string? Sector { get; init; }

    /// <summary>persistent (default), transient or national-id.</summary>
    public string? NameIdFormat { get; init; }

    public bool NationalIdEntitled { get; init; }

    /// <summary>eIDAS friendly names released; default all four (<see cref="ServiceProviders.KnownAttributes"/>).</summary>
    public IReadOnlyList<string>? Attributes { get; init; }

    /// <summary>Default true: AuthnRequests must be signed.</summary>
    public bool? RequireSignedRequests { get; init; }

    /// <summary>Default: encrypt when the metadata has an encryption key.</summary>
    public bool? EncryptAssertions { get; init; }

    /// <summary>Default true: the Response is signed as well as the Assertion.</summary>
    public bool? SignResponse { get; init; }

    /// <summary>low, substantial (default) or high.</summary>
    public string? MinimumLevel { get; init; }

    public bool AllowUnsolicited { get; init; }

    /// <summary>A government service: citizens are not asked for consent. Default false: they are (as for OIDC clients).</summary>
    public bool GovernmentService { get; init; }
}
