using System.Xml;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// Every element of a document by its Id, ID or id attribute. A same-document reference resolves only when exactly one
/// element carries the identifier: a second element with the same Id is how XML signature wrapping moves the signed
/// content away from what an application reads, so a duplicate is a failure, never a "first match".
/// </summary>
internal sealed class IdIndex
{
    private readonly Dictionary<string, List<XmlElement>> _byId = new(StringComparer.Ordinal);

    public IdIndex(XmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (XmlElement element in document.SelectNodes("//*")!.OfType<XmlElement>())
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (attribute.NamespaceURI.Length == 0 && attribute.LocalName is "Id" or "ID" or "id")
                {
                    if (!_byId.TryGetValue(attribute.Value, out List<XmlElement>? list))
                    {
                        list = [];
                        _byId.Add(attribute.Value, list);
                    }

                    if (!list.Contains(element))
                    {
                        list.Add(element);
                    }
                }
            }
        }
    }

    /// <summary>The one element with this identifier, or null with the reason.</summary>
    public XmlElement? Find(string id, out string? problem)
    {
        problem = null;
        if (!_byId.TryGetValue(id, out List<XmlElement>? elements))
        {
            problem = $"no element has Id \"{id}\"";
            return null;
        }

        if (elements.Count != 1)
        {
            problem = $"{elements.Count} elements have Id \"{id}\" (signature wrapping?)";
            return null;
        }

        return elements[0];
    }
}
