using IdentityHub.Authentication.Agencies;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Metadata;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Providers;

/// <summary>A registered, enabled SP: the hub's settings and what its metadata says.</summary>
internal sealed record RegisteredServiceProvider(ServiceProviderRecord Record, SpMetadata Metadata)
{
    public string EntityId => Record.EntityId;

    public LevelOfAssurance MinimumLevel => LevelsOfAssurance.TryParse(Record.MinimumLevel, out var level) ? level : LevelOfAssurance.Substantial;

    public IReadOnlyList<string> Attributes => Record.Attributes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The NameID format URI the SP gets (national-id goes as unspecified: its value is the national identifier).</summary>
    public string NameIdFormatUri => FormatUriOf(Record.NameIdFormat);

    /// <summary>The NameID format URI of a format the registry names (national-id goes as unspecified).</summary>
    public static string FormatUriOf(string format) => format switch
    {
        ServiceProviders.Transient => SamlNameIdFormats.Transient,
        ServiceProviders.NationalId => SamlNameIdFormats.Unspecified,
        _ => SamlNameIdFormats.Persistent,
    };

    /// <summary>The NameID this SP was given in a session, in the format recorded when it was given (for logout).</summary>
    public string NameIdGivenIn(SessionServiceProviderRecord participation, string nationalId, PairwiseSubjects subjects) => participation.NameIdFormat switch
    {
        ServiceProviders.Transient => participation.TransientNameId ?? "",
        ServiceProviders.NationalId => nationalId,
        _ => subjects.SubjectFor(Record.Sector, nationalId),
    };

    /// <summary>
    /// The ACS to answer at (saml-profiles §4.1.4.1): the URL the request names, only when the metadata lists it for
    /// HTTP-POST; the index it names; or the metadata's default (isDefault, else the lowest index, else the first).
    /// Null when the request names one the metadata does not have: then no answer may be sent at all.
    /// </summary>
    public SpEndpoint? AcsFor(string? url, int? index)
    {
        var post = Metadata.AssertionConsumerServices.Where(a => a.Binding == SamlBindings.HttpPost).ToList();
        if (url is not null)
        {
            return post.FirstOrDefault(a => string.Equals(a.Location, url, StringComparison.Ordinal));
        }

        if (index is not null)
        {
            return post.FirstOrDefault(a => a.Index == index);
        }

        return post.FirstOrDefault(a => a.IsDefault) ?? post.OrderBy(a => a.Index ?? int.MaxValue).FirstOrDefault();
    }

    /// <summary>The default ACS, for error answers to a request that named no usable one.</summary>
    public SpEndpoint? DefaultAcs => AcsFor(null, null);
}
