using System.Text;
using System.Xml;
using IdentityHub.Saml.Bindings;

namespace IdentityHub.Saml.Validation;

/// <summary>
/// The only way an inbound SAML message becomes an <see cref="XmlDocument"/>: a size cap, no DTD (so no entity
/// expansion, external entity or parameter entity: billion laughs and XXE), no resolver, whitespace preserved for
/// canonicalization, and no two elements sharing an ID (the precondition of signature wrapping, saml-core-2.0-os §1.3.4:
/// ID values must be unique within a document).
/// </summary>
internal static class SafeXml
{
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>Loads <paramref name="xml"/> or throws <see cref="XmlException"/> naming the problem (for callers that own the bytes).</summary>
    public static XmlDocument Load(byte[] xml, int maxBytes)
    {
        (XmlDocument? document, SamlProblem? problem) = Read(xml, maxBytes);
        return document ?? throw new XmlException(problem!.Code + ": " + problem.Detail);
    }

    /// <summary>Loads <paramref name="xml"/>; every refusal is a problem value.</summary>
    public static (XmlDocument? Document, SamlProblem? Problem) Read(byte[] xml, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > maxBytes)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.TooLarge, "The message is larger than the hub accepts."));
        }

        // Refused before the parser sees it: a document type declaration is where every entity attack lives.
        // DtdProcessing.Prohibit below enforces the same; this check only names the problem reliably.
        if (HasDocumentType(xml))
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.Dtd, "The message has a document type declaration, which SAML messages must not have."));
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxBytes,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            IgnoreWhitespace = false,
            CloseInput = true,
        };

        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), settings);
            document.Load(reader);
        }
        catch (XmlException)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.Malformed, "The message is not well-formed XML."));
        }

        if (document.DocumentElement is null)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.Malformed, "The message has no root element."));
        }

        return HasDuplicateIds(document.DocumentElement)
            ? (null, SamlProblem.Requester(SamlProblemCodes.DuplicateId, "Two elements of the message carry the same ID."))
            : (document, null);
    }

    /// <summary>
    /// True when an element's ID (SAML's "ID", XML DSig and XML Encryption's "Id", "id", or xml:id) repeats a value
    /// already seen anywhere in the document. They share one space because SignedXml resolves a Reference by any of them.
    /// </summary>
    internal static bool HasDuplicateIds(XmlElement root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlElement element in Elements(root))
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (IsIdAttribute(attribute) && !seen.Add(attribute.Value))
                {
                    return true;
                }
            }
        }

        return false;
    }

    internal static bool IsIdAttribute(XmlAttribute attribute) =>
        (attribute.NamespaceURI.Length == 0 && attribute.LocalName is "ID" or "Id" or "id")
        || (attribute.NamespaceURI == XmlNamespace && attribute.LocalName == "id");

    internal static IEnumerable<XmlElement> Elements(XmlElement root)
    {
        yield return root;
        foreach (XmlNode node in root.SelectNodes("descendant::*")!)
        {
            yield return (XmlElement)node;
        }
    }

    private static bool HasDocumentType(byte[] xml)
    {
        // The reader detects UTF-8 and UTF-16 (with a byte order mark); look for the declaration in either.
        string text = xml.Length >= 2 && ((xml[0] == 0xFF && xml[1] == 0xFE) || (xml[0] == 0xFE && xml[1] == 0xFF))
            ? new StreamReader(new MemoryStream(xml), Encoding.Unicode, detectEncodingFromByteOrderMarks: true).ReadToEnd()
            : Encoding.UTF8.GetString(xml);
        return text.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) || text.Contains("<!ENTITY", StringComparison.OrdinalIgnoreCase);
    }
}
