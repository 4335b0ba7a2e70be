using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Requests;

/// <summary>What a file is, from its first bytes (names and declared types are the uploader's word, not the file's).</summary>
internal static class DocumentSniffing
{
    public static bool IsPdf(ReadOnlySpan<byte> content)
    {
        // ISO 32000-1 §7.5.2: the header is "%PDF-" on the first line; readers tolerate junk before it within 1 KB.
        var head = content[..Math.Min(content.Length, 1024)];
        return head.IndexOf("%PDF-"u8) >= 0;
    }

    /// <summary>XML by media type or by a first non-blank character of '&lt;' (after an optional UTF-8 BOM).</summary>
    public static bool IsXml(SignedFile file)
    {
        if (file.MimeType.EndsWith("/xml", StringComparison.OrdinalIgnoreCase) || file.MimeType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var span = file.Content.Span;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        var trimmed = span.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'<' && file.Name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);
    }
}
