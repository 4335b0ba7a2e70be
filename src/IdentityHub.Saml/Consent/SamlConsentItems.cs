using IdentityHub.Saml.Providers;

namespace IdentityHub.Saml.Consent;

/// <summary>
/// What a consent to an SP covers, one item per thing the citizen can understand: the NameID (a number for this service
/// only, and the level), the national identifier (as NameID or as PersonIdentifier, for an agency entitled to it), and
/// the eIDAS attributes by friendly name. PersonIdentifier without the entitlement carries the NameID's value, so it is
/// the NameID item, not another line on the page.
/// </summary>
internal static class SamlConsentItems
{
    public const string NameId = "NameID";
    public const string NationalId = "NationalId";

    /// <summary>The order the page and the portal list them in.</summary>
    public static IReadOnlyList<string> All { get; } = [NameId, NationalId, "CurrentGivenName", "CurrentFamilyName", "DateOfBirth"];

    /// <summary>Everything the SP receives in a successful answer, as consent items (sorted, distinct).</summary>
    public static SortedSet<string> Of(RegisteredServiceProvider sp)
    {
        ArgumentNullException.ThrowIfNull(sp);
        var items = new SortedSet<string>(StringComparer.Ordinal) { sp.Record.NameIdFormat == ServiceProviders.NationalId ? NationalId : NameId };
        foreach (var attribute in sp.Attributes)
        {
            items.Add(attribute == "PersonIdentifier" ? sp.Record.NationalIdEntitled ? NationalId : NameId : attribute);
        }

        return items;
    }

    public static SortedSet<string> Parse(string? stored) =>
        new((stored ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    public static string Format(IEnumerable<string> items) => string.Join(' ', items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>In page order.</summary>
    public static IReadOnlyList<string> Ordered(IEnumerable<string> items)
    {
        var set = items.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(set.Contains)];
    }
}
