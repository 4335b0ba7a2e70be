using System.Xml;
using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Xades;

/// <summary>
/// Loads XML the hub is asked to sign, refusing what could make the parser do more than parse: a DOCTYPE (entity
/// expansion, "billion laughs", external entities) is refused outright and nothing external is ever resolved.
/// </summary>
internal static class XmlDocuments
{
    public static XmlDocument Load(ReadOnlyMemory<byte> xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = false,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            CloseInput = true,
        };

        // Whitespace is data: every text node must survive so the digests over the canonical form stay the ones the
        // verifier computes (XMLDSig §4.3.3.3, Canonical XML keeps whitespace in content).
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var stream = new MemoryStream(xml.ToArray(), writable: false);
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            document.Load(reader);
        }
        catch (XmlException ex) when (HasDoctype(xml.Span))
        {
            throw new DocumentRejectedException(DocumentProblems.XmlDtd, "The XML document has a DOCTYPE; documents with a DTD are not signed.", ex);
        }
        catch (XmlException ex)
        {
            throw new DocumentRejectedException(DocumentProblems.NotXml, $"The document is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}).", ex);
        }

        if (document.DocumentElement is null)
        {
            throw new DocumentRejectedException(DocumentProblems.NotXml, "The document has no root element.");
        }

        return document;
    }

    // XmlReader with DtdProcessing.Prohibit fails on the DOCTYPE token itself. Which refusal it was is told from the
    // bytes rather than from the (localisable) message: the DOCTYPE keyword (XML 1.0 §2.8, case-sensitive) in UTF-8
    // or in either UTF-16 order.
    private static bool HasDoctype(ReadOnlySpan<byte> xml) =>
        xml.IndexOf("<!DOCTYPE"u8) >= 0
        || xml.IndexOf(System.Text.Encoding.Unicode.GetBytes("<!DOCTYPE")) >= 0
        || xml.IndexOf(System.Text.Encoding.BigEndianUnicode.GetBytes("<!DOCTYPE")) >= 0;
}
