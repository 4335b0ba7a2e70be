using System.Globalization;
using System.Xml;

namespace IdentityHub.Saml.Metadata;

/// <summary>
/// saml-metadata-2.0-os §2.2.2 EndpointType and §2.2.3 IndexedEndpointType. Every Location and ResponseLocation must be an
/// absolute https URL (http only for a loopback host, for development): assertions are bearer tokens (saml-profiles §4.1.6
/// asks for TLS) and the hub never posts them in clear over the network.
/// </summary>
internal static class SpEndpoints
{
    public static (List<SpEndpoint>? Endpoints, string? Problem) Read(XmlElement descriptor, string localName, bool indexed)
    {
        var endpoints = new List<SpEndpoint>();
        foreach (var element in MetadataXml.Children(descriptor, localName))
        {
            var binding = element.GetAttribute("Binding");
            var location = element.GetAttribute("Location");
            if (binding.Length == 0 || location.Length == 0)
            {
                return (null, $"A {localName} lacks its Binding or Location (§2.2.2).");
            }

            var problem = LocationProblem(localName, "Location", location)
                ?? (element.HasAttribute("ResponseLocation") ? LocationProblem(localName, "ResponseLocation", element.GetAttribute("ResponseLocation")) : null);
            if (problem is not null)
            {
                return (null, problem);
            }

            int? index = null;
            var isDefault = false;
            if (indexed)
            {
                // §2.2.3: index is a required xs:unsignedShort; isDefault an optional xs:boolean.
                if (!ushort.TryParse(element.GetAttribute("index"), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return (null, $"The {localName} at {location} has no valid index (an xs:unsignedShort is required, §2.2.3).");
                }

                index = value;
                (isDefault, problem) = MetadataXml.Boolean(element, "isDefault", false);
                if (problem is not null)
                {
                    return (null, problem);
                }
            }

            var responseLocation = element.HasAttribute("ResponseLocation") ? element.GetAttribute("ResponseLocation") : null;
            endpoints.Add(new SpEndpoint(binding, location, index, isDefault, responseLocation));
        }

        if (indexed && endpoints.Select(e => e.Index).Distinct().Count() != endpoints.Count)
        {
            return (null, $"Two {localName} elements share an index (§2.2.3 requires them unique).");
        }

        return (endpoints, null);
    }

    private static string? LocationProblem(string localName, string attribute, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            return $"The {localName} {attribute} \"{value}\" is not an absolute URL.";
        }

        if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp
            ? $"The {localName} {attribute} \"{value}\" uses http on a host that is not loopback; it must be https."
            : $"The {localName} {attribute} \"{value}\" must be an https URL.";
    }
}
