using IdentityHub.Saml.Metadata;

namespace IdentityHub.Saml.Providers;

/// <summary>
/// The hub's settings for a registered SP, all of them, as a change gives them (the console's edit form). The ACS URLs
/// and keys are not among them: they come from the metadata only.
/// </summary>
public sealed record ServiceProviderSettings
{
    public required string DisplayName { get; init; }

    /// <summary>Null or empty: the host of the entityID.</summary>
    public string? Sector { get; init; }

    /// <summary>persistent, transient or national-id.</summary>
    public required string NameIdFormat { get; init; }

    public bool NationalIdEntitled { get; init; }

    /// <summary>eIDAS friendly names released (<see cref="ServiceProviders.KnownAttributes"/>); may be empty.</summary>
    public required IReadOnlyList<string> Attributes { get; init; }

    public bool RequireSignedRequests { get; init; }

    public bool EncryptAssertions { get; init; }

    public bool SignResponse { get; init; }

    /// <summary>low, substantial or high.</summary>
    public required string MinimumLevel { get; init; }

    public bool AllowUnsolicited { get; init; }

    /// <summary>A government service: its citizens are not asked for consent (as an OIDC client's implicit consent type).</summary>
    public bool GovernmentService { get; init; }
}

/// <summary>The outcome of a change to an SP: not found, refused with a sentence, or done (with what changed; maybe nothing).</summary>
public sealed record ServiceProviderChange(bool Found, string? Problem, IReadOnlyList<string> Changed)
{
    public bool Succeeded => Found && Problem is null;

    public static ServiceProviderChange NotFound { get; } = new(false, null, []);

    public static ServiceProviderChange Refused(string problem) => new(true, problem, []);

    public static ServiceProviderChange Done(IReadOnlyList<string> changed) => new(true, null, changed);
}

/// <summary>One SP for the console: its row, and its metadata as the hub reads it now, or why it no longer can.</summary>
internal sealed record ServiceProviderDetail(ServiceProviderView Provider, DateTimeOffset CreatedAt, SpMetadata? Metadata, string? MetadataProblem);
