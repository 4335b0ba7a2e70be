using System.Text;
using System.Xml;
using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// Parses untrusted XML: no DTD (so no entity expansion, billion laughs or external entities), no resolver (nothing is
/// ever fetched), whitespace kept (digests are over the exact text), and a bound on the characters read.
/// </summary>
internal static class SafeXml
{
    static SafeXml()
    {
        // Signed XML in the wild declares legacy encodings (ISO-8859-2 in the Hungarian plugtests files, windows-1250 …);
        // the XML reader decodes them only with the code-page provider registered.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static XmlDocument Load(ReadOnlyMemory<byte> bytes, long maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreWhitespace = false,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            document.Load(reader);
        }
        catch (XmlException ex) when (HasDoctype(bytes.Span))
        {
            throw new DocumentRejectedException(DocumentProblems.XmlDtd, "XML with a document type declaration (DTD) is refused", ex);
        }
        catch (XmlException ex)
        {
            throw new DocumentRejectedException(DocumentProblems.NotXml, "the document is not well-formed XML", ex);
        }

        if (document.DocumentElement is null)
        {
            throw new DocumentRejectedException(DocumentProblems.NotXml, "the document has no root element");
        }

        return document;
    }

    /// <summary>Whether the prolog holds "&lt;!DOCTYPE", in UTF-8 or UTF-16, to name the refusal precisely.</summary>
    private static bool HasDoctype(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> head = bytes[..Math.Min(bytes.Length, 64 * 1024)];
        return head.IndexOf("<!DOCTYPE"u8) >= 0
            || head.IndexOf(Encoding.Unicode.GetBytes("<!DOCTYPE")) >= 0
            || head.IndexOf(Encoding.BigEndianUnicode.GetBytes("<!DOCTYPE")) >= 0;
    }
}
