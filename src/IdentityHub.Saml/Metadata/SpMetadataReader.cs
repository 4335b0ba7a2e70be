using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Metadata;

/// <summary>
/// Imports a service provider's metadata (saml-metadata-2.0-os) uploaded or fetched by an operator. The document is
/// untrusted: it is size-capped and parsed without DTDs or external resources, and anything the hub cannot use safely
/// is refused with a sentence saying why, never an exception.
/// </summary>
internal static class SpMetadataReader
{
    public const int MaxBytes = 1024 * 1024;

    public static (SpMetadata? Metadata, string? Problem) Read(ReadOnlySpan<byte> xml, DateTimeOffset now)
    {
        if (xml.Length == 0)
        {
            return (null, "The metadata is empty.");
        }

        if (xml.Length > MaxBytes)
        {
            return (null, $"The metadata is {xml.Length} bytes; the limit is {MaxBytes} bytes (1 MiB).");
        }

        var (document, problem) = Parse(xml.ToArray());
        if (document?.DocumentElement is not { } root)
        {
            return (null, problem);
        }

        // §2.3.1: an EntitiesDescriptor may wrap the one entity; an import is for exactly one SP.
        var entities = MetadataXml.Descendants(document, "EntityDescriptor").ToList();
        if (root.NamespaceURI != SamlNames.Metadata || root.LocalName is not ("EntityDescriptor" or "EntitiesDescriptor"))
        {
            return (null, $"The root element is {{{root.NamespaceURI}}}{root.LocalName}, not an md:EntityDescriptor or md:EntitiesDescriptor.");
        }

        if (entities.Count != 1)
        {
            return (null, $"The metadata describes {entities.Count} entities (EntityDescriptor); import one service provider at a time.");
        }

        return ReadEntity(entities[0], now);
    }

    private static (XmlDocument? Document, string? Problem) Parse(byte[] xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = MaxBytes,
        };
        try
        {
            using var stream = new MemoryStream(xml, writable: false);
            using var reader = XmlReader.Create(stream, settings);
            var document = new XmlDocument { XmlResolver = null, PreserveWhitespace = true };
            document.Load(reader);
            return (document, null);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.Ordinal))
        {
            return (null, "The metadata contains a DTD (<!DOCTYPE …>); DTDs are refused because entities can expand or fetch content.");
        }
        catch (XmlException ex)
        {
            return (null, $"The metadata is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}).");
        }
    }

    private static (SpMetadata? Metadata, string? Problem) ReadEntity(XmlElement entity, DateTimeOffset now)
    {
        // §2.3.2: entityID is a URI of at most 1024 characters.
        var entityId = entity.GetAttribute("entityID");
        if (entityId.Length is 0 or > 1024)
        {
            return (null, "The EntityDescriptor's entityID is missing or longer than 1024 characters (§2.3.2).");
        }

        // §2.4.1: protocolSupportEnumeration is a list of URIs; the SP's SAML 2.0 role is the one naming the protocol.
        var descriptors = MetadataXml.Children(entity, "SPSSODescriptor").ToList();
        if (descriptors.Count == 0)
        {
            return (null, $"The entity {entityId} has no SPSSODescriptor; it does not describe a service provider.");
        }

        var saml2 = descriptors
            .Where(d => d.GetAttribute("protocolSupportEnumeration").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(SamlNames.Protocol))
            .ToList();
        if (saml2.Count != 1)
        {
            return (null, saml2.Count == 0
                ? $"The entity {entityId} has no SPSSODescriptor whose protocolSupportEnumeration includes {SamlNames.Protocol}."
                : $"The entity {entityId} has {saml2.Count} SAML 2.0 SPSSODescriptors; one was expected.");
        }

        var (validUntil, problem) = ValidityOf(saml2[0], now);
        return problem is not null ? (null, problem) : ReadDescriptor(entityId, saml2[0], validUntil);
    }

    /// <summary>§2.3.1–§2.3.2, §2.4.1: the earliest validUntil on the descriptor or any element enclosing it applies.</summary>
    private static (DateTimeOffset? ValidUntil, string? Problem) ValidityOf(XmlElement descriptor, DateTimeOffset now)
    {
        DateTimeOffset? earliest = null;
        for (var element = descriptor; element is not null; element = element.ParentNode as XmlElement)
        {
            if (!element.HasAttribute("validUntil"))
            {
                continue;
            }

            var text = element.GetAttribute("validUntil");
            DateTimeOffset value;
            try
            {
                value = XmlConvert.ToDateTimeOffset(text.Trim());
            }
            catch (FormatException)
            {
                return (null, $"The {element.LocalName} validUntil \"{text}\" is not an xs:dateTime.");
            }

            earliest = earliest is null || value < earliest ? value : earliest;
        }

        return earliest <= now
            ? (null, $"The metadata expired at {SamlXml.Instant(earliest.Value)} (validUntil); ask the service provider for a current copy.")
            : (earliest, null);
    }

    private static (SpMetadata? Metadata, string? Problem) ReadDescriptor(string entityId, XmlElement descriptor, DateTimeOffset? validUntil)
    {
        // §2.4.4: AuthnRequestsSigned and WantAssertionsSigned default to false.
        var (authnRequestsSigned, problem) = MetadataXml.Boolean(descriptor, "AuthnRequestsSigned", false);
        if (problem is not null)
        {
            return (null, problem);
        }

        (var wantAssertionsSigned, problem) = MetadataXml.Boolean(descriptor, "WantAssertionsSigned", false);
        if (problem is not null)
        {
            return (null, problem);
        }

        var (keys, keyProblem) = SpKeyDescriptors.Read(descriptor);
        if (keys is null)
        {
            return (null, keyProblem);
        }

        var (acs, acsProblem) = SpEndpoints.Read(descriptor, "AssertionConsumerService", indexed: true);
        if (acs is null)
        {
            return (null, acsProblem);
        }

        if (acs.Count == 0)
        {
            return (null, $"The entity {entityId} lists no AssertionConsumerService (§2.4.4 requires one or more).");
        }

        var (slo, sloProblem) = SpEndpoints.Read(descriptor, "SingleLogoutService", indexed: false);
        if (slo is null)
        {
            return (null, sloProblem);
        }

        var nameIdFormats = MetadataXml.Children(descriptor, "NameIDFormat").Select(MetadataXml.Text).Where(f => f.Length > 0).Distinct().ToList();
        return (new SpMetadata(
            entityId, acs, slo, keys.Signing, keys.Encryption, authnRequestsSigned, wantAssertionsSigned, nameIdFormats, keys.EncryptionMethods, validUntil), null);
    }
}
