using System.Net;

namespace IdentityHub.Saml.Bindings;

/// <summary>
/// The query string of an HTTP-Redirect message split into parameters that keep their value exactly as received
/// (still URL-encoded): saml-bindings-2.0-os §3.4.4.1 signs those octets, not a decoded and re-encoded form.
/// </summary>
internal sealed class RedirectQuery
{
    private readonly Dictionary<string, string> _raw;

    private RedirectQuery(Dictionary<string, string> raw) => _raw = raw;

    /// <summary>Splits <paramref name="rawQuery"/>; a parameter that appears twice makes the query ambiguous and is refused.</summary>
    public static (RedirectQuery? Query, string? DuplicateName) Parse(string rawQuery)
    {
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        string query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        foreach (string part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string name = WebUtility.UrlDecode(equals < 0 ? part : part[..equals]);
            string value = equals < 0 ? string.Empty : part[(equals + 1)..];
            if (!raw.TryAdd(name, value))
            {
                return (null, name);
            }
        }

        return (new RedirectQuery(raw), null);
    }

    /// <summary>The value as it appeared in the query (URL-encoded), or null when absent.</summary>
    public string? Raw(string name) => _raw.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The URL-decoded value, or null when absent.</summary>
    public string? Decoded(string name) => Raw(name) is { } value ? WebUtility.UrlDecode(value) : null;
}
