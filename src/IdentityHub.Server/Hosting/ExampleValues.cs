using System.Net;
using IdentityHub.Enrolment;
using IdentityHub.Pki;
using IdentityHub.Pki.Hierarchy;
using Microsoft.Extensions.Options;

namespace IdentityHub.Server.Hosting;

/// <summary>
/// The settings a production hub must choose itself (docs/operator-guide.md, "Production checklist"), as start-up
/// compares them with example values.
/// </summary>
public sealed record ProductionSettings
{
    /// <summary>Pki:PublicBaseUrl, written into every certificate.</summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary>The QcPDS locations of the hierarchy file's profiles, written into qualified certificates.</summary>
    public IReadOnlyList<(string Profile, string Url)> PdsUrls { get; init; } = [];

    /// <summary>The hierarchy file's "country", in every certificate subject.</summary>
    public string? Country { get; init; }

    /// <summary>Pki:Tsa:PolicyOid, in every time-stamp token.</summary>
    public string? TsaPolicyOid { get; init; }

    /// <summary>Enrolment:ActivationUrl, printed on activation letters.</summary>
    public string? ActivationUrl { get; init; }

    /// <summary>The values the hub's services use.</summary>
    public static ProductionSettings From(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var pki = services.GetRequiredService<IOptions<PkiOptions>>().Value;
        var hierarchy = services.GetRequiredService<HierarchyProvider>();
        return new()
        {
            PublicBaseUrl = pki.PublicBaseUrl,
            PdsUrls = hierarchy.PdsUrls,
            Country = hierarchy.Country,
            TsaPolicyOid = pki.Tsa.PolicyOid,
            ActivationUrl = services.GetRequiredService<IOptions<EnrolmentOptions>>().Value.ActivationUrl,
        };
    }
}

/// <summary>
/// Finds settings that still hold example values: hosts reserved for examples (RFC 2606: .example, example.com/.net/.org),
/// user-assigned ISO 3166-1 country codes (AA, QM–QZ, XA–XZ, ZZ), loopback URLs in values that go into certificates,
/// OIDs under the ITU-T example arc 2.999.
/// </summary>
public static class ExampleValues
{
    /// <summary>One line per offending setting, naming it; empty when every value looks like a real deployment's.</summary>
    public static IReadOnlyList<string> Find(ProductionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        Add(problems, "Pki:PublicBaseUrl", settings.PublicBaseUrl, UrlProblem(settings.PublicBaseUrl, goesIntoCertificates: true));
        foreach (var (profile, url) in settings.PdsUrls)
        {
            Add(problems, $"Pki:HierarchyFile profiles.{profile}.pds url", url, UrlProblem(url, goesIntoCertificates: true));
        }

        Add(problems, "Pki:HierarchyFile country", settings.Country, CountryProblem(settings.Country));
        Add(problems, "Pki:Tsa:PolicyOid", settings.TsaPolicyOid, OidProblem(settings.TsaPolicyOid));
        Add(problems, "Enrolment:ActivationUrl", settings.ActivationUrl, UrlProblem(settings.ActivationUrl, goesIntoCertificates: false));
        return problems;
    }

    /// <summary>Why a URL is an example value, or null. Loopback and unspecified addresses count only for certificates' URLs.</summary>
    public static string? UrlProblem(string? value, bool goesIntoCertificates)
    {
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null; // Options validation reports malformed values.
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (IsExampleHost(host))
        {
            return "is an example host (reserved by RFC 2606)";
        }

        if (goesIntoCertificates && IsLoopback(host))
        {
            return "is a loopback address, unreachable for relying parties";
        }

        return null;
    }

    /// <summary>Why a country code is not a real country's, or null (ISO 3166-1 §8.1.3 user-assigned codes).</summary>
    public static string? CountryProblem(string? code)
    {
        if (code is not { Length: 2 } || !code.All(char.IsAsciiLetter))
        {
            return null;
        }

        var upper = code.ToUpperInvariant();
        var userAssigned = upper == "AA" || upper == "ZZ"
            || (upper[0] == 'Q' && upper[1] >= 'M')
            || upper[0] == 'X';
        return userAssigned ? "is a user-assigned ISO 3166-1 code, not a country" : null;
    }

    /// <summary>Why an OID is an example, or null.</summary>
    public static string? OidProblem(string? oid) =>
        oid is not null && (oid == "2.999" || oid.StartsWith("2.999.", StringComparison.Ordinal))
            ? "is under the ITU-T example arc 2.999"
            : null;

    private static bool IsExampleHost(string host) =>
        host == "example" || host.EndsWith(".example", StringComparison.Ordinal)
        || host is "example.com" or "example.net" or "example.org"
        || host.EndsWith(".example.com", StringComparison.Ordinal)
        || host.EndsWith(".example.net", StringComparison.Ordinal)
        || host.EndsWith(".example.org", StringComparison.Ordinal);

    private static bool IsLoopback(string host)
    {
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return true;
        }

        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return false;
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
    }

    private static void Add(List<string> problems, string setting, string? value, string? problem)
    {
        if (problem is not null)
        {
            problems.Add($"{setting} '{value}' {problem}");
        }
    }
}
